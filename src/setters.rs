//! `setters!`: the `const fn` builder setters of [`Claims`](crate::claims::Claims),
//! [`Header`](crate::header::Header),
//! [`Validation`](crate::validate::Validation), the session's `Config`
//! and `StorePolicy`, and the client's source builders, written once. A leaf.

/// Builder setters, each `#[must_use] pub const fn name(mut self, arg: T)
/// -> Self` setting the field of the same name: `name(arg: T);` stores `arg`,
/// `name(arg: T) => Some;` stores `Some(arg)`. Doc comments pass through.
/// Setters that do more than store (a clamp, a second field) are written out.
macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) $(=> $wrap:ident)?;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub const fn $name(mut self, $arg: $ty) -> Self {
                self.$name = $crate::setters::setters!(@value $arg $($wrap)?);
                self
            }
        )*
    };
    (@value $arg:ident) => {
        $arg
    };
    (@value $arg:ident $wrap:ident) => {
        $wrap($arg)
    };
}
pub(crate) use setters;
