//! The `TIMESTAMP` of an SRP claim: `EEE MMM d HH:mm:ss 'UTC' yyyy`, English, UTC, the day
//! **not** zero-padded (`Tue Dec 1 07:14:16 UTC 2026`). A zero-padded day or a weekday that
//! does not match the date is refused by Cognito (docs/behaviour.md §2.14).

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A TIMESTAMP: seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp(pub u64);

/// Why a TIMESTAMP was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// Not of the form `EEE MMM d HH:mm:ss UTC yyyy`.
    #[error("not of the form `EEE MMM d HH:mm:ss UTC yyyy`")]
    Shape,
    /// The day of the month has a leading zero.
    #[error("the day of the month is zero-padded")]
    PaddedDay,
    /// The weekday is not the date's.
    #[error("the weekday is not the date's")]
    Weekday,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Timestamp {
    /// The TIMESTAMP for `epoch_ms`.
    #[must_use]
    pub fn from_millis(epoch_ms: u64) -> Timestamp {
        Timestamp(epoch_ms / 1000)
    }

    /// The wire text, as Cognito's clients write it.
    #[must_use]
    pub fn format(self) -> String {
        self.format_with(false)
    }

    /// The wire text with the day zero-padded (`Tue Dec 01 …`): what Cognito refuses, for
    /// the suite to send.
    #[must_use]
    pub fn format_zero_padded(self) -> String {
        self.format_with(true)
    }

    fn format_with(self, padded_day: bool) -> String {
        let days = (self.0 / 86_400) as i64;
        let secs = self.0 % 86_400;
        let (year, month, day) = civil_from_days(days);
        let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
        let day = if padded_day {
            format!("{day:02}")
        } else {
            day.to_string()
        };
        format!(
            "{weekday} {} {day} {:02}:{:02}:{:02} UTC {year}",
            MONTHS[month as usize - 1],
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }

    /// The same instant named with another weekday (the day after's name): what Cognito
    /// refuses, for the suite to send.
    #[must_use]
    pub fn format_wrong_weekday(self) -> String {
        let right = self.format();
        let days = (self.0 / 86_400) as i64;
        let wrong = WEEKDAYS[(days + 1).rem_euclid(7) as usize];
        format!("{wrong}{}", &right[3..])
    }

    /// Reads a TIMESTAMP strictly: the shape, an unpadded day, a real date, its weekday.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        use TimestampError::Shape;
        let parts: Vec<&str> = text.split(' ').collect();
        let [weekday, month, day, time, zone, year] = parts[..] else {
            return Err(Shape);
        };
        if zone != "UTC" {
            return Err(Shape);
        }
        let month = MONTHS.iter().position(|m| *m == month).ok_or(Shape)? as u32 + 1;
        if !WEEKDAYS.contains(&weekday) {
            return Err(Shape);
        }
        let digits = |s: &str, min: usize, max: usize| {
            (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let day_value = digits(day, 1, 2).ok_or(Shape)?;
        if day.len() == 2 && day.starts_with('0') {
            return Err(TimestampError::PaddedDay);
        }
        let year = i64::from(digits(year, 4, 4).ok_or(Shape)?);
        if year < 1970 || day_value == 0 || day_value > days_in_month(year, month) {
            return Err(Shape);
        }
        let hms: Vec<&str> = time.split(':').collect();
        let [h, m, s] = hms[..] else {
            return Err(Shape);
        };
        let (h, m, s) = (
            digits(h, 2, 2).ok_or(Shape)?,
            digits(m, 2, 2).ok_or(Shape)?,
            digits(s, 2, 2).ok_or(Shape)?,
        );
        if h > 23 || m > 59 || s > 59 {
            return Err(Shape);
        }
        let days = days_from_civil(year, month, day_value);
        if WEEKDAYS[days.rem_euclid(7) as usize] != weekday {
            return Err(TimestampError::Weekday);
        }
        Ok(Timestamp(
            days as u64 * 86_400 + u64::from(h) * 3600 + u64::from(m) * 60 + u64::from(s),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_cognito_clients_do() {
        // 2026-12-01 07:14:16 UTC, a Tuesday.
        let t = Timestamp(1_796_109_256);
        assert_eq!(t.format(), "Tue Dec 1 07:14:16 UTC 2026");
        assert_eq!(t.format_zero_padded(), "Tue Dec 01 07:14:16 UTC 2026");
        assert_eq!(t.format_wrong_weekday(), "Wed Dec 1 07:14:16 UTC 2026");
        assert_eq!(Timestamp(0).format(), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(
            Timestamp(951_782_400).format(),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
    }

    #[test]
    fn parses_strictly() {
        let t = Timestamp(1_796_109_256);
        assert_eq!(Timestamp::parse(&t.format()), Ok(t));
        assert_eq!(
            Timestamp::parse(&t.format_zero_padded()),
            Err(TimestampError::PaddedDay)
        );
        assert_eq!(
            Timestamp::parse(&t.format_wrong_weekday()),
            Err(TimestampError::Weekday)
        );
        for bad in [
            "",
            "Tue Dec 1 07:14:16 GMT 2026",
            "Tue Dec 1 7:14:16 UTC 2026",
            "Tue Dec  1 07:14:16 UTC 2026",
            "Tue Dec 32 07:14:16 UTC 2026",
            "Tue Feb 30 07:14:16 UTC 2026",
            "Tue Dec 1 24:00:00 UTC 2026",
            "tue Dec 1 07:14:16 UTC 2026",
            "Tue Dec 1 07:14:16 UTC 26",
            "Tue Dec +1 07:14:16 UTC 2026",
        ] {
            assert_eq!(Timestamp::parse(bad), Err(TimestampError::Shape), "{bad:?}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let mut days = 0i64;
        while days < 146_097 * 2 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let t = Timestamp(days as u64 * 86_400 + 45_296);
            assert_eq!(Timestamp::parse(&t.format()), Ok(t));
            days += 1;
        }
    }
}
