//! What every signed request to WeChat shares: a `nonce_str`, the `sign_type` field when
//! it is not MD5, and the `sign` over everything else.

use crate::core::error::{Result, WxError};
use crate::core::nonce;
use crate::v2::params::{self, Params};
use crate::v2::sign::{self, SignType};
use crate::v2::validate;
use crate::v2::xml;

/// Fills `nonce_str` when absent, reconciles `sign_type` with the chosen algorithm and
/// sets `sign`. A `sign_type` field that disagrees with the algorithm is refused: WeChat
/// would verify with the field's algorithm and answer SIGNERROR.
pub fn sign_request(mut params: Params, key: &str, sign_type: SignType) -> Result<Params> {
    validate::key(key)?;
    validate::nonce(&params)?;
    if params::get(&params, "nonce_str").is_none() {
        params.insert("nonce_str".into(), nonce::nonce_str(32)?);
    }
    match (params::get(&params, "sign_type"), sign_type) {
        (None, SignType::Md5) => {}
        (None, SignType::HmacSha256) => {
            params.insert("sign_type".into(), SignType::HmacSha256.as_str().into());
        }
        (Some(given), _) if SignType::parse(given)? == sign_type => {}
        (Some(given), chosen) => {
            return Err(WxError::field(
                crate::core::error::Code::InvalidField,
                "sign_type",
                format!(
                    "field sign_type is {} but the request is signed with {}",
                    crate::core::error::quoted(given),
                    chosen.as_str()
                ),
            ))
        }
    }
    params.remove(params::SIGN);
    let s = sign::sign(&params, key, sign_type)?;
    params.insert(params::SIGN.into(), s);
    Ok(params)
}

/// Signs and serialises a request whose fields were already validated.
pub fn signed_xml(params: Params, key: &str, sign_type: SignType) -> Result<String> {
    xml::to_xml(&sign_request(params, key, sign_type)?)
}
