//! The v3 half of the contract (see the parent module).

use super::{Endpoint, Function};

/// Every v3 export that takes an options object, with its option names.
pub const FUNCTIONS: &[Function] = &[];

/// The v3 endpoints the request builders produce.
pub const ENDPOINTS: &[Endpoint] = &[];
