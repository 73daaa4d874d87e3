//! Command-line grammar (clap derive).

use std::path::PathBuf;

use std::sync::OnceLock;

use clap::builder::PossibleValue;
use clap::{Arg, ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use jwtmint::profiles::declare::Presence;
use jwtmint::profiles::{DECLARED, Provider};

/// Mint OAuth 2.0 JWT bearer assertions (RFC 7523) and exchange them for access tokens.
#[derive(Parser, Debug)]
#[command(name = "jwtmint", version, about, long_about = None, after_help = "\
Examples:
  jwtmint mint --profile salesforce --key key.pem --iss CONSUMER_KEY --sub user@example.com --aud https://login.salesforce.com
  jwtmint exchange --profile google --service-account sa.json --scope https://www.googleapis.com/auth/cloud-platform
  jwtmint inspect eyJhbGciOi...   (or - for stdin)
  jwtmint token @salesforce-prod  (a named login: [login.salesforce-prod] in ~/.config/jwtmint/config.toml)

Exit codes: 0 ok, 1 usage, 2 input/key error, 3 remote/OAuth error.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Mint an assertion (or, with --form, the token-request body) and print it.
    #[command(after_help = "\
Examples:
  jwtmint mint --profile salesforce --key key.pem --iss 3MVG9... --sub user@example.com --aud https://login.salesforce.com
  jwtmint mint --profile google --service-account sa.json --scope https://www.googleapis.com/auth/devstorage.read_only
  jwtmint mint --profile entra --key app.key --cert app.crt --tenant contoso.onmicrosoft.com --client-id 97e0a5b7-... --form
  jwtmint mint --profile generic --key key.pem --iss client --sub user --aud https://as.example.com/token --lifetime 300")]
    Mint(MintCmd),
    /// Sign exactly the given header and payload bytes as a compact JWS.
    #[command(after_help = "\
Example (RFC 7515 A.2, byte-exact):
  jwtmint sign --key key.pem --header protected_header.bin --payload payload.bin")]
    Sign(SignArgs),
    /// Mint, POST to the token endpoint, print the access token as JSON.
    #[command(after_help = "\
Examples:
  jwtmint exchange --profile salesforce --key key.pem --iss 3MVG9... --sub user@example.com --aud https://test.salesforce.com
  jwtmint exchange --profile generic --key key.pem --iss client --sub user --aud https://as.example.com --token-url https://as.example.com/token --cache ~/.cache/as.token
  jwtmint exchange --profile custom --token-url https://idp.example.com/token --grant password --username U --password-file F --renew refresh,previous-token --form client_id=app --header 'X-Api-Key: K'

Output: {\"access_token\":..., \"token_type\":..., \"expires_at\":..., \"expires_in\":..., \"instance_url\":..., \"scope\":..., \"cached\":...}
(--format header|env|token for other shapes).
OAuth errors print `error: <code>: <description>` and a hint; exit code 3.")]
    Exchange(ExchangeArgs),
    /// As exchange, printing just the access token (--format for the other shapes).
    #[command(after_help = "\
Examples:
  curl -H \"Authorization: Bearer $(jwtmint token @salesforce-prod)\" https://...
  jwtmint token @salesforce-prod --format header | curl -H @- https://...
  eval \"$(jwtmint token @okta-billing --format env --env-var OKTA_TOKEN)\"

Named logins are [login.<name>] tables in the config file (--config; default
$XDG_CONFIG_HOME/jwtmint/config.toml, else ~/.config/jwtmint/config.toml).")]
    Token(ExchangeArgs),
    /// Decode a token's header and claims (human-readable times); optionally verify it.
    #[command(after_help = "\
Examples:
  jwtmint inspect eyJhbGciOiJSUzI1NiJ9.eyJpc3Mi...
  echo $TOKEN | jwtmint inspect - --verify --pubkey public.pem")]
    Inspect(InspectArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "\
Examples:
  jwtmint completions bash > ~/.local/share/bash-completion/completions/jwtmint
  jwtmint completions zsh > \"${fpath[1]}/_jwtmint\"
  jwtmint completions fish > ~/.config/fish/completions/jwtmint.fish")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), generated from this command line's definition.
    #[command(after_help = "\
Examples:
  jwtmint man > ~/.local/share/man/man1/jwtmint.1
  jwtmint man --dir ~/.local/share/man/man1     (jwtmint.1, jwtmint-mint.1, ...)")]
    Man(ManArgs),
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write a page for the tool and one for each subcommand
    /// (jwtmint.1, jwtmint-mint.1, ...) into DIR instead of printing the first.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// A named login and the file it is read from.
#[derive(Args, Debug, Clone)]
pub struct LoginArgs {
    /// A named login `@NAME` from the config file: its fields are defaults
    /// for the flags (given flags override them).
    #[arg(id = "named_login", value_name = "@NAME", value_parser = login_name)]
    pub login: Option<String>,
    /// The config file of named logins; default
    /// $XDG_CONFIG_HOME/jwtmint/config.toml, else ~/.config/jwtmint/config.toml.
    #[arg(long, env = "JWTMINT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// `@NAME` -> `NAME`.
fn login_name(v: &str) -> Result<String, String> {
    v.strip_prefix('@')
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| "a named login is written @NAME (e.g. @salesforce-prod)".to_owned())
}

/// Which provider's rules to apply: `custom`, and every provider declared
/// in the library (`jwtmint::profiles::DECLARED`), whose name, help line
/// and flags come from its declaration (`rfc7523` is offered as `generic`).
#[derive(Clone, Copy, Debug)]
pub enum Profile {
    Custom,
    /// A declared provider.
    Declared(&'static Provider),
}

/// The declared provider the CLI names `generic`.
const GENERIC: &Provider = &jwtmint::profiles::generic::PROVIDER;

impl Profile {
    /// The `--profile` value.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Custom => "custom",
            Profile::Declared(p) if p.name == GENERIC.name => "generic",
            Profile::Declared(p) => p.name,
        }
    }

    fn help(self) -> &'static str {
        match self {
            Profile::Custom => {
                "A non-standard IdP (exchange only, nothing minted): --token-url, --grant password, --renew, --form, --header"
            }
            Profile::Declared(p) => p.summary,
        }
    }
}

impl PartialEq for Profile {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Profile {}

impl ValueEnum for Profile {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: OnceLock<Vec<Profile>> = OnceLock::new();
        ALL.get_or_init(|| {
            use Profile as P;
            let mut all = vec![P::Declared(GENERIC), P::Custom];
            all.extend(declared().map(P::Declared));
            all
        })
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.help()))
    }
}

/// The flags of the `MintArgs` fields (their clap ids are the names with
/// `_`); a declared provider's other flags are `DeclaredFlags`.
pub const TYPED_FLAGS: &[&str] = &[
    "key",
    "key-passphrase-file",
    "cert",
    "iss",
    "sub",
    "aud",
    "lifetime",
    "scope",
    "legacy-rs256",
    "alg",
    "kid",
    "iat",
    "exp",
    "nbf",
    "jti",
    "claim",
    "client-assertion",
];

/// The declared providers whose flags and help lines the CLI derives: all
/// but `generic` (`rfc7523`), whose flags are the typed ones, documented in
/// their own help.
pub fn declared() -> impl Iterator<Item = &'static Provider> {
    DECLARED.iter().copied().filter(|p| p.name != GENERIC.name)
}

/// The flags declared providers read that no `MintArgs` field has.
fn declared_only() -> Vec<&'static str> {
    let mut flags: Vec<&'static str> = declared()
        .flat_map(|p| p.options.iter().map(|o| o.flag))
        .filter(|f| !TYPED_FLAGS.contains(f))
        .collect();
    flags.sort_unstable();
    flags.dedup();
    flags
}

/// The values of the `declared_only` flags given.
#[derive(Clone, Debug, Default)]
pub struct DeclaredFlags {
    /// `(flag, value)` of each flag given.
    pub values: Vec<(&'static str, String)>,
}

impl DeclaredFlags {
    /// The value of `flag` (without `--`) when given.
    pub fn get(&self, flag: &str) -> Option<&str> {
        let given = self.values.iter().find(|(f, _)| *f == flag);
        given.map(|(_, v)| v.as_str())
    }
}

impl FromArgMatches for DeclaredFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let values = declared_only()
            .into_iter()
            .filter_map(|f| m.get_one::<String>(f).map(|v| (f, v.clone())))
            .collect();
        Ok(Self { values })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for DeclaredFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        declared_only().into_iter().fold(cmd, |cmd, f| {
            cmd.arg(Arg::new(f).long(f).value_name(&*Box::leak(
                f.to_uppercase().replace('-', "_").into_boxed_str(),
            )))
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// The command line, with each flag's help extended by the lines of the
/// declared providers that read it (`okta: ...; auth0: ...`).
pub fn command() -> clap::Command {
    fn per_provider(cmd: clap::Command) -> clap::Command {
        let mut flags: Vec<&'static str> = declared()
            .flat_map(|p| p.options.iter().map(|o| o.flag))
            .collect();
        flags.sort_unstable();
        flags.dedup();
        flags.into_iter().fold(cmd, |cmd, flag| {
            let lines: Vec<String> = declared()
                .filter_map(|p| {
                    let o = p
                        .options
                        .iter()
                        .find(|o| o.flag == flag && o.presence != Presence::Unused)?;
                    Some(format!("{}: {}", p.name, o.doc))
                })
                .collect();
            let id = if TYPED_FLAGS.contains(&flag) {
                flag.replace('-', "_")
            } else {
                flag.to_owned()
            };
            cmd.mut_arg(id, |a| {
                let help = match a.get_help() {
                    Some(base) => format!("{base}; {}", lines.join("; ")),
                    None => lines.join("; "),
                };
                a.help(help)
            })
        })
    }
    Cli::command()
        .mut_subcommand("mint", per_provider)
        .mut_subcommand("exchange", per_provider)
        .mut_subcommand("token", per_provider)
}

/// The initial grant of `--profile custom`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantArg {
    /// RFC 6749 §4.3 resource-owner password (deprecated by OAuth 2.1).
    Password,
}

/// A renewal step of `--profile custom`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenewArg {
    /// RFC 6749 §6 refresh token.
    Refresh,
    /// The previously issued access token as `assertion`.
    PreviousToken,
}

/// Signature algorithm.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    #[value(name = "RS256")]
    Rs256,
    /// RSASSA-PSS with SHA-256.
    #[value(name = "PS256")]
    Ps256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    #[value(name = "RS384")]
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    #[value(name = "RS512")]
    Rs512,
    /// RSASSA-PSS with SHA-384.
    #[value(name = "PS384")]
    Ps384,
    /// RSASSA-PSS with SHA-512.
    #[value(name = "PS512")]
    Ps512,
    /// ECDSA P-256 / SHA-256 (EC P-256 key).
    #[value(name = "ES256")]
    Es256,
    /// ECDSA P-384 / SHA-384 (EC P-384 key).
    #[value(name = "ES384")]
    Es384,
    /// ECDSA P-521 / SHA-512 (EC P-521 key).
    #[value(name = "ES512")]
    Es512,
    /// EdDSA with Ed25519.
    #[value(name = "EdDSA")]
    EdDsa,
    /// HMAC SHA-256 (--key: a file holding the raw secret, >= 32 bytes).
    #[value(name = "HS256")]
    Hs256,
    /// HMAC SHA-384 (--key: the raw secret, >= 48 bytes).
    #[value(name = "HS384")]
    Hs384,
    /// HMAC SHA-512 (--key: the raw secret, >= 64 bytes).
    #[value(name = "HS512")]
    Hs512,
}

impl Alg {
    /// The library's algorithm (the names are the same).
    pub fn algorithm(self) -> jwtmint::Algorithm {
        use jwtmint::Algorithm as A;
        match self {
            Alg::Rs256 => A::Rs256,
            Alg::Ps256 => A::Ps256,
            Alg::Rs384 => A::Rs384,
            Alg::Rs512 => A::Rs512,
            Alg::Ps384 => A::Ps384,
            Alg::Ps512 => A::Ps512,
            Alg::Es256 => A::Es256,
            Alg::Es384 => A::Es384,
            Alg::Es512 => A::Es512,
            Alg::EdDsa => A::EdDsa,
            Alg::Hs256 => A::Hs256,
            Alg::Hs384 => A::Hs384,
            Alg::Hs512 => A::Hs512,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct MintArgs {
    /// Provider profile (or the `profile` of the named login).
    #[arg(
        long,
        value_enum,
        required = false,
        required_unless_present = "named_login"
    )]
    pub profile: Profile,
    /// Private key file, or `-` for stdin: PEM (PKCS#8, PKCS#1, encrypted PKCS#8), DER, PKCS#12 (.p12/.pfx) or a private JWK.
    #[arg(long, env = "JWTMINT_KEY_FILE")]
    pub key: Option<String>,
    /// File holding the passphrase of an encrypted key (one trailing newline is ignored);
    /// or set JWTMINT_KEY_PASSPHRASE (there is no flag for the passphrase itself: `ps` shows flags).
    #[arg(long, conflicts_with = "key_passphrase_env")]
    pub key_passphrase_file: Option<PathBuf>,
    /// As --key-passphrase-file, the passphrase from environment variable VAR
    /// (default JWTMINT_KEY_PASSPHRASE).
    #[arg(long, value_name = "VAR")]
    pub key_passphrase_env: Option<String>,
    /// Certificate (PEM/DER) uploaded to the provider: x5t / x5t#S256 (entra, generic); default: the one in a .p12 --key.
    #[arg(long)]
    pub cert: Option<PathBuf>,
    /// `iss`: generic: the client id.
    #[arg(long)]
    pub iss: Option<String>,
    /// `sub`: generic: the subject (a user name, or the client id).
    #[arg(long)]
    pub sub: Option<String>,
    /// `aud`: generic: the authorization server.
    #[arg(long)]
    pub aud: Option<String>,
    /// Lifetime in seconds (`exp - now`); generic: default 300.
    #[arg(long)]
    pub lifetime: Option<i64>,
    /// Scope: repeat or space-separate; sent in the form body.
    #[arg(long)]
    pub scope: Vec<String>,
    /// RS256 + x5t (SHA-1) instead of PS256 + x5t#S256 (ADFS, older tenants).
    #[arg(long)]
    pub legacy_rs256: bool,
    /// Generic: algorithm [default: RS256] (other profiles sign with their own).
    #[arg(long, value_enum)]
    pub alg: Option<Alg>,
    /// Generic: `kid` header.
    #[arg(long)]
    pub kid: Option<String>,
    /// Generic: explicit `iat` (seconds); default now.
    #[arg(long, allow_hyphen_values = true)]
    pub iat: Option<i64>,
    /// Generic: explicit `exp` (seconds); default iat + lifetime.
    #[arg(long, allow_hyphen_values = true)]
    pub exp: Option<i64>,
    /// Generic: `nbf` (seconds).
    #[arg(long, allow_hyphen_values = true)]
    pub nbf: Option<i64>,
    /// Generic/entra: `jti`; entra default: a random UUID v4.
    #[arg(long)]
    pub jti: Option<String>,
    /// Generic: extra claim NAME=VALUE (string) or NAME:=JSON (raw JSON); repeatable.
    #[arg(long = "claim")]
    pub claims: Vec<String>,
    /// Generic: client authentication (RFC 7523 §2.2) instead of an authorization grant.
    #[arg(long)]
    pub client_assertion: bool,
    /// The flags only declared providers read.
    #[command(flatten)]
    pub declared: DeclaredFlags,
}

/// `jwtmint mint`: the profile flags, and what to print.
#[derive(Args, Debug)]
pub struct MintCmd {
    #[command(flatten)]
    pub login: LoginArgs,
    #[command(flatten)]
    pub mint: MintArgs,
    /// Print the application/x-www-form-urlencoded token-request body instead of the assertion.
    #[arg(long)]
    pub form: bool,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// Private key file, or `-` for stdin: PEM (PKCS#8, PKCS#1, encrypted PKCS#8), DER, PKCS#12 (.p12/.pfx) or a private JWK.
    #[arg(long, env = "JWTMINT_KEY_FILE")]
    pub key: String,
    /// File holding the passphrase of an encrypted key (one trailing newline is ignored);
    /// or set JWTMINT_KEY_PASSPHRASE (there is no flag for the passphrase itself: `ps` shows flags).
    #[arg(long)]
    pub key_passphrase_file: Option<PathBuf>,
    /// File with the exact protected-header bytes.
    #[arg(long)]
    pub header: PathBuf,
    /// File with the exact payload bytes.
    #[arg(long)]
    pub payload: PathBuf,
    /// Algorithm (must match the header's alg).
    #[arg(long, value_enum, default_value = "RS256")]
    pub alg: Alg,
}

#[derive(Args, Debug)]
pub struct ExchangeArgs {
    #[command(flatten)]
    pub login: LoginArgs,
    #[command(flatten)]
    pub mint: MintArgs,
    /// Token endpoint; default: the profile's (salesforce <aud>/services/oauth2/token,
    /// google token_uri, entra tenant endpoint). `http://` only for loopback hosts.
    #[arg(long)]
    pub token_url: Option<String>,
    /// Keep the token in FILE (mode 0600, written atomically) and reuse it until the refresh-ahead window.
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Refresh this many seconds before expiry.
    #[arg(long, default_value_t = 60)]
    pub refresh_skew: i64,
    /// Session lifetime to assume when the response has no expiry (Salesforce: your org's session timeout).
    #[arg(long, default_value_t = 900)]
    pub session_lifetime: i64,
    /// Timeout in seconds, applied twice: to connecting (TCP + TLS) and to the
    /// whole request (connect, send, response and body); errors say which ran out.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Seal the --cache record (AES-256-GCM, bound to the token's identity) with
    /// the 32-byte key in FILE (raw, 64 hex characters or Base64); a record that
    /// does not open is ignored and a new token fetched.
    #[arg(long, requires = "cache", conflicts_with = "cache_key_env")]
    pub cache_key_file: Option<PathBuf>,
    /// As --cache-key-file, the key (hex or Base64) from environment variable VAR.
    #[arg(long, requires = "cache", value_name = "VAR")]
    pub cache_key_env: Option<String>,
    /// What to print: json (exchange's default), token (just the access
    /// token; token's default), header (`Authorization: <token_type>
    /// <token>`), env (`export VAR='<token>'`, VAR from --env-var).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The variable --format env assigns.
    #[arg(long, value_name = "VAR", default_value = "JWTMINT_TOKEN", value_parser = env_name)]
    pub env_var: String,
    /// Former spelling of --format header.
    #[arg(long, hide = true, conflicts_with = "format")]
    pub print_authorization: bool,
    /// --profile custom: the initial grant (password; the IdP's login).
    #[arg(long, value_enum)]
    pub grant: Option<GrantArg>,
    /// --profile custom: the user name of the password grant.
    #[arg(long)]
    pub username: Option<String>,
    /// --profile custom: file holding the password (one trailing newline dropped).
    /// A password is never a command-line value.
    #[arg(long)]
    pub password_file: Option<PathBuf>,
    /// --profile custom: environment variable holding the password.
    #[arg(long)]
    pub password_env: Option<String>,
    /// --profile custom: renewal steps tried in order before the grant,
    /// comma-separated: refresh, previous-token.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub renew: Vec<RenewArg>,
    /// --profile custom: grant_type of the previous-token step
    /// (default urn:ietf:params:oauth:grant-type:jwt-bearer).
    #[arg(long)]
    pub renew_grant_type: Option<String>,
    /// --profile custom: extra form field `name=value` sent with every grant (repeatable).
    #[arg(long = "form", value_name = "NAME=VALUE")]
    pub form: Vec<String>,
    /// --profile custom: extra header `Name: value` sent with every grant (repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
}

/// What `exchange` / `token` print.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The JSON object (access_token, token_type, expires_at, ...).
    Json,
    /// Just the access token.
    Token,
    /// `Authorization: <token_type> <token>`.
    Header,
    /// `export VAR='<token>'` for eval in a POSIX shell.
    Env,
}

/// A POSIX shell variable name.
fn env_name(v: &str) -> Result<String, String> {
    let ok = v.len() <= 128
        && v.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then(|| v.to_owned()).ok_or_else(|| {
        "a shell variable name: letters, digits and '_', not starting with a digit".to_owned()
    })
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The compact token, or `-` to read it from stdin.
    pub token: String,
    /// Verify the signature (needs --pubkey or --cert).
    #[arg(long)]
    pub verify: bool,
    /// Public key (SPKI or PKCS#1 PEM/DER, or an RSA JWK) for --verify.
    #[arg(long)]
    pub pubkey: Option<PathBuf>,
    /// Certificate (PEM/DER) for --verify.
    #[arg(long)]
    pub cert: Option<PathBuf>,
    /// Algorithm to accept when verifying (the key pins it; `alg` in the token must match).
    #[arg(long, value_enum, default_value = "RS256")]
    pub alg: Alg,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    /// Every argument of every subcommand (and every subcommand) has help
    /// text: `jwtmint <cmd> --help`, the man page and the completions show it.
    #[test]
    fn every_flag_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            if cmd.get_about().is_none() && cmd.get_long_about().is_none() {
                missing.push(format!("{path} (the command itself)"));
            }
            for a in cmd.get_arguments() {
                let has = [a.get_help(), a.get_long_help()]
                    .iter()
                    .flatten()
                    .any(|h| !h.to_string().trim().is_empty());
                if !has {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut cmd = super::command();
        cmd.build();
        let mut missing = Vec::new();
        walk(&cmd, "jwtmint", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
        // The walk sees the flags: mint's --profile, exchange's --format.
        let mint = cmd.find_subcommand("mint").unwrap();
        assert!(mint.get_arguments().any(|a| a.get_id() == "profile"));
        let token = cmd.find_subcommand("token").unwrap();
        assert!(token.get_arguments().any(|a| a.get_id() == "format"));
        assert!(cmd.get_subcommands().count() >= 7);
        // And it finds a flag without help.
        let mut bare =
            super::command().mut_subcommand("man", |c| c.arg(clap::Arg::new("bare").long("bare")));
        bare.build();
        let mut missing = Vec::new();
        walk(&bare, "jwtmint", &mut missing);
        assert_eq!(missing, ["jwtmint man bare"]);
    }

    /// Every field a config entry may hold is a flag of `exchange` (so a
    /// named login never carries a field the CLI would drop), but the
    /// options of declared providers the CLI does not offer as --profile.
    #[test]
    fn every_config_field_is_an_exchange_flag() {
        use clap::ValueEnum;
        let cmd = super::command();
        let exchange = cmd.find_subcommand("exchange").unwrap();
        let offered: Vec<&str> = super::Profile::value_variants()
            .iter()
            .filter_map(|p| match p {
                super::Profile::Declared(d) => Some(*d),
                _ => None,
            })
            .flat_map(|d| d.options.iter().map(|o| o.flag))
            .collect();
        let elsewhere = |f: &str| {
            !offered.contains(&f)
                && jwtmint::profiles::DECLARED
                    .iter()
                    .any(|p| p.options.iter().any(|o| o.flag == f))
        };
        let mut flags = 0;
        for f in jwtmint::config::field_names() {
            let is_flag = exchange.get_arguments().any(|a| a.get_long() == Some(f));
            flags += usize::from(is_flag);
            assert!(
                is_flag || elsewhere(f),
                "config field {f} is not an exchange flag"
            );
        }
        assert!(flags >= 30, "{flags}");
    }
}
