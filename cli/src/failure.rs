//! A command's failure: its message and exit code (1 usage, 2 input/key,
//! 3 remote/OAuth). A leaf: every command module reports through it.

/// A failure with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Exit code 1: the command line is wrong.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
    /// Exit code 2: a local input (key, file, claim) is wrong.
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
    /// Exit code 3: the token endpoint failed or refused.
    pub fn remote(message: impl Into<String>) -> Self {
        Self {
            code: 3,
            message: message.into(),
        }
    }
}

impl From<jwtmint::Error> for Failure {
    fn from(e: jwtmint::Error) -> Self {
        Self::input(e.to_string())
    }
}

/// Result of a command.
pub type CmdResult = Result<(), Failure>;
