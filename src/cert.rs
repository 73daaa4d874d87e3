//! X.509 certificate thumbprints for the `x5t` / `x5t#S256` headers and the
//! certificate / key match check. The reader lives in [`crate::keys::x509`]
//! (the crate's one X.509 reader, for every key type); this module keeps the
//! public path `jwtmint::cert::CertThumbprints`.

pub use crate::header::{X5T_LEN, X5T_S256_LEN};
pub use crate::keys::x509::CertThumbprints;
