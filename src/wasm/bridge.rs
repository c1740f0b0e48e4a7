//! The wasm-bindgen half of the boundary: the string buffers arguments and results
//! cross through, and the one place a [`WxError`] becomes a JS error.

#[cfg(feature = "v2")]
use std::cell::RefCell;

use js_sys::{Error as JsError, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::error::{Code, Result, WxError};

pub type JsResult<T> = std::result::Result<T, JsValue>;

/// The single place errors cross: a JS `Error` carrying `code`, `field` and details.
pub fn to_js(e: WxError) -> JsValue {
    let err = JsError::new(&e.message);
    err.set_name("WxPayError");
    let obj: &JsValue = err.as_ref();
    let _ = Reflect::set(obj, &"code".into(), &e.code.as_str().into());
    if let Some(field) = &e.field {
        let _ = Reflect::set(obj, &"field".into(), &field.into());
    }
    for (name, value) in &e.details {
        // `retryable` is a yes/no fact; JS callers test it as a boolean.
        let v: JsValue = match (*name, value.as_str()) {
            ("retryable", "true") => true.into(),
            ("retryable", "false") => false.into(),
            _ => value.into(),
        };
        let _ = Reflect::set(obj, &(*name).into(), &v);
    }
    err.into()
}

pub fn js<T>(r: Result<T>) -> JsResult<T> {
    r.map_err(to_js)
}

pub fn invalid_param(msg: impl Into<String>) -> WxError {
    WxError::new(Code::InvalidParam, msg)
}

// ---------------------------------------------------------------- string passing
//
// Convention 1 of src/wasm/mod.rs, a speed trick, all of it in this file and
// js/core/boundary.js: string arguments and results cross through two reusable buffers in
// wasm memory instead of wasm-bindgen's per-string glue. JS writes the arguments back to back with `TextEncoder.encodeInto` (wasm-bindgen copies
// ASCII with a charCodeAt loop, ~5 µs for a 1 KB notification, against ~0.3 µs) and
// passes their byte lengths; the result stays in OUTPUT and JS decodes it in place
// (`Buffer#utf8Slice` in Node, several times faster than `TextDecoder` there).

#[cfg(feature = "v2")] // v2 only: js/v3 uses wasm-bindgen's own glue (convention 3), so the v3 wasm has no buffers
thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[cfg(feature = "v2")]
/// The wasm memory, so js/core/boundary.js can read and write the buffers.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[cfg(feature = "v2")]
/// Makes room for `capacity` bytes of arguments; returns where JS writes them.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(capacity: usize) -> usize {
    INPUT.with_borrow_mut(|buf| {
        if buf.len() < capacity {
            buf.resize(capacity, 0);
        }
        buf.as_mut_ptr() as usize
    })
}

#[cfg(feature = "v2")]
/// Where the last call's result starts; its length was that call's return value.
#[wasm_bindgen(js_name = outputPtr)]
pub fn output_ptr() -> usize {
    OUTPUT.with_borrow(|buf| buf.as_ptr() as usize)
}

#[cfg(feature = "v2")]
/// Runs `f` on the `N` strings JS wrote, back to back, into the input buffer.
///
/// Size: the buffer is taken out of its cell for the call and the splitting lives in
/// `split_args`, so each export's copy of this generic is a few instructions rather than a
/// `LocalKey::with` instantiation holding the whole loop. Taking an empty `Vec` allocates nothing.
pub fn args<const N: usize, R>(lens: [usize; N], f: impl FnOnce([&str; N]) -> Result<R>) -> Result<R> {
    let buf = INPUT.take();
    let mut strs = [""; N];
    let r = split_args(&buf, &lens, &mut strs).and_then(|()| f(strs));
    INPUT.set(buf);
    r
}

#[cfg(feature = "v2")]
fn split_args<'a>(buf: &'a [u8], lens: &[usize], out: &mut [&'a str]) -> Result<()> {
    let mut at = 0usize;
    for (s, &len) in out.iter_mut().zip(lens) {
        let end = at.checked_add(len).filter(|&end| end <= buf.len());
        let bytes =
            end.and_then(|end| buf.get(at..end)).ok_or_else(|| invalid_param("argument outside the input buffer"))?;
        *s = std::str::from_utf8(bytes).map_err(|_| invalid_param("argument is not UTF-8"))?;
        at += len;
    }
    Ok(())
}

#[cfg(feature = "v2")]
/// Keeps a string result in the output buffer and returns its length in bytes.
pub fn output(r: Result<String>) -> JsResult<usize> {
    let s = js(r)?;
    let len = s.len();
    OUTPUT.set(s.into_bytes());
    Ok(len)
}

#[cfg(feature = "v2")]
/// The size of this instance's linear memory, for the load test's leak check. Memory
/// never shrinks, so a leak shows as growth here. Not part of the documented API.
#[wasm_bindgen(js_name = __wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65536.0
}
