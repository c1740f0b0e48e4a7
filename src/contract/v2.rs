//! The v2 half of the contract (see the parent module).

use super::Function;

/// Every v2 export that takes an options object, with its option names.
pub const FUNCTIONS: &[Function] = &[];
