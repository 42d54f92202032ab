//! Numbers as published, exactly: six decimal places in an `i64` of millionths. Amounts are read
//! from their digits, never through a float (a sum of `49.70` and `10.35` is `60.05`, not
//! `60.050000000000004`), and written to Parquet as `decimal(18,6)`, whose statistics every
//! engine can prune on.

use std::fmt;

/// Decimal places kept.
pub const SCALE: u32 = 6;
/// Digits in all (`decimal(PRECISION, SCALE)`): up to ±999,999,999,999.999999.
pub const PRECISION: u8 = 18;
const UNIT: i64 = 1_000_000;
const MAX: i64 = 999_999_999_999_999_999;

/// A number with six decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(i64);

/// Why digits are not a [`Decimal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inexact {
    /// More than six decimal places: rounded (half away from zero) to the returned value.
    Rounded(Decimal),
    /// Beyond ±999,999,999,999.999999.
    TooLarge,
}

impl Decimal {
    pub const ZERO: Decimal = Decimal(0);

    /// `digits[.digits]` (commas already taken out, an optional leading `-`). `Err` says when
    /// the value is rounded or out of range.
    pub fn parse(text: &str) -> Result<Decimal, Inexact> {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let int = int.trim_start_matches('0');
        if int.len() > 12 || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Inexact::TooLarge);
        }
        let mut micros: i64 = if int.is_empty() { 0 } else { int.parse::<i64>().map_err(|_| Inexact::TooLarge)? };
        micros *= UNIT;
        let kept = &frac[..frac.len().min(SCALE as usize)];
        let mut f: i64 = if kept.is_empty() { 0 } else { kept.parse().map_err(|_| Inexact::TooLarge)? };
        f *= 10i64.pow(SCALE - kept.len() as u32);
        micros += f;
        let rest = &frac[kept.len()..];
        let rounded = !rest.is_empty() && rest.bytes().any(|b| b != b'0');
        if rest.as_bytes().first().is_some_and(|&b| b >= b'5') {
            micros += 1;
        }
        let d = Decimal(if negative { -micros } else { micros });
        if micros > MAX {
            return Err(Inexact::TooLarge);
        }
        if rounded {
            Err(Inexact::Rounded(d))
        } else {
            Ok(d)
        }
    }

    /// The value times an integer factor (万 → × 10,000), when it stays in range.
    pub fn times(self, factor: i64) -> Option<Decimal> {
        self.0.checked_mul(factor).filter(|v| v.abs() <= MAX).map(Decimal)
    }

    /// The value divided by a power of ten (元 → 万元: 4), rounded half away from zero to six
    /// places; the flag says whether it was exact.
    pub fn divided_by_pow10(self, n: u32) -> (Decimal, bool) {
        let d = 10i64.pow(n);
        let (q, r) = (self.0 / d, self.0 % d);
        let round = if r.abs() * 2 >= d { self.0.signum() } else { 0 };
        (Decimal(q + round), r == 0)
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).filter(|v| v.abs() <= MAX).map(Decimal)
    }

    /// Millionths: the integer stored in `decimal(18,6)`.
    pub fn micros(self) -> i64 {
        self.0
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / UNIT as f64
    }
}

impl From<Decimal> for f64 {
    fn from(d: Decimal) -> f64 {
        d.to_f64()
    }
}

impl fmt::Display for Decimal {
    /// The shortest form: `49.7`, `100`, `0.000001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        let (int, frac) = (v / UNIT as u64, v % UNIT as u64);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let frac = format!("{frac:06}");
            write!(f, "{sign}{int}.{}", frac.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn digits_are_read_exactly() {
        assert_eq!(d("49.70").micros(), 49_700_000);
        assert_eq!(d("72807.384975").to_string(), "72807.384975");
        assert_eq!(d("0").to_string(), "0");
        assert_eq!(d("-3.5").to_string(), "-3.5");
        assert_eq!(d("49.70").checked_add(d("10.35")).unwrap().to_string(), "60.05");
        assert_eq!(d("999999999999.999999").micros(), MAX);
        assert_eq!(Decimal::parse("1000000000000"), Err(Inexact::TooLarge));
        assert_eq!(Decimal::parse("0.1234567"), Err(Inexact::Rounded(d("0.123457"))));
        assert_eq!(Decimal::parse("1.2300000"), Ok(d("1.23")));
    }

    #[test]
    fn scaling() {
        assert_eq!(d("143").times(10_000).unwrap().to_string(), "1430000");
        assert_eq!(d("127886849").divided_by_pow10(4), (d("12788.6849"), true));
        assert_eq!(d("0.01").divided_by_pow10(4), (d("0.000001"), true));
        assert_eq!(d("0.005").divided_by_pow10(4), (d("0.000001"), false));
        assert_eq!(d("999999999999").times(10), None);
    }
}
