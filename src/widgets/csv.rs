//! A chart's points as CSV (RFC 4180): `time,series,value`, one row per point, in time
//! order. Only the chart's download button needs it, behind a split point, so none of it is
//! in the first load.
//!
//! Labels come from the configuration, which may come from a share link or a file: a label
//! that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
//! first) is written with a leading `'`, and commas, quotes and line breaks are quoted.

use super::history::Point;
use crate::format::shortest;

pub const HEADER: &str = "time,series,value";

/// The file: the header, then every point of every series, oldest first (points of the
/// same time in series order), lines ended by CRLF as RFC 4180 says.
pub fn chart_csv(series: &[(String, Vec<Point>)]) -> String {
    let mut out = String::with_capacity(32 + 48 * series.iter().map(|s| s.1.len()).sum::<usize>());
    out.push_str(HEADER);
    out.push_str("\r\n");
    let labels: Vec<String> = series.iter().map(|(label, _)| field(label)).collect();
    // Each series is in time order already: merge them.
    let mut next = vec![0usize; series.len()];
    loop {
        let mut pick: Option<(usize, Point)> = None;
        for (i, (_, points)) in series.iter().enumerate() {
            if let Some(&p) = points.get(next[i])
                && pick.is_none_or(|(_, q)| p.0 < q.0)
            {
                pick = Some((i, p));
            }
        }
        let Some((i, (t, v))) = pick else { break };
        next[i] += 1;
        out.push_str(&iso_utc(t));
        out.push(',');
        out.push_str(&labels[i]);
        out.push(',');
        out.push_str(&shortest(v));
        out.push_str("\r\n");
    }
    out
}

/// A text field: neutralised against formulas, then quoted when it must be.
pub fn field(text: &str) -> String {
    let mut text = text.to_owned();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The days since 1970-01-01 as (year, month, day), proleptic Gregorian (H. Hinnant's
/// `civil_from_days`).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both are small and positive by construction.
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2024-01-01T12:34:56.789Z`: ISO 8601 in UTC, to the millisecond.
pub fn iso_utc(t_ms: f64) -> String {
    // Truncation to whole milliseconds is intended; the cast saturates.
    let ms = t_ms.floor() as i64;
    let (y, mo, d) = civil(ms.div_euclid(86_400_000));
    let in_day = ms.rem_euclid(86_400_000);
    let (h, mi, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `<title>-<local date>.csv`, the title made safe as a file name (no path separators,
/// reserved or control characters; at most 60 characters; `chart` when nothing is left).
/// `tz_offset_min` is JavaScript's `getTimezoneOffset()`.
pub fn file_name(title: &str, now_ms: f64, tz_offset_min: f64) -> String {
    let safe: String = title
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    let safe = safe.trim().trim_matches('.');
    let name = if safe.is_empty() { "chart" } else { safe };
    let date = iso_utc(now_ms - tz_offset_min * 60_000.0);
    format!(
        "{name}-{}.csv",
        &date[..date.find('T').unwrap_or(date.len())]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_iso_utc() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_704_112_496_789.0), "2024-01-01T12:34:56.789Z");
        assert_eq!(
            iso_utc(1_709_164_800_000.0),
            "2024-02-29T00:00:00.000Z",
            "leap day"
        );
        assert_eq!(iso_utc(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_utc(4_102_444_799_999.0), "2099-12-31T23:59:59.999Z");
        assert_eq!(iso_utc(-1.0), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_utc(1_704_112_496_789.9), "2024-01-01T12:34:56.789Z");
    }

    #[test]
    fn labels_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("°C"), "°C");
        assert_eq!(field("lux / 25"), "lux / 25");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rhere"), "\"cr\rhere\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(field("a=b"), "a=b", "only a leading sign");
        assert_eq!(field("\rx"), "\"'\rx\"");
    }

    #[test]
    fn rows_merge_the_series_in_time_order() {
        let csv = chart_csv(&[
            (
                "°C".into(),
                vec![(1_000.0, 21.5), (3_000.0, 22.0), (3_000.0, 22.5)],
            ),
            ("=lux".into(), vec![(2_000.0, -0.1), (3_000.0, 1e-7)]),
        ]);
        assert_eq!(
            csv,
            "time,series,value\r\n\
             1970-01-01T00:00:01.000Z,°C,21.5\r\n\
             1970-01-01T00:00:02.000Z,'=lux,-0.1\r\n\
             1970-01-01T00:00:03.000Z,°C,22\r\n\
             1970-01-01T00:00:03.000Z,°C,22.5\r\n\
             1970-01-01T00:00:03.000Z,'=lux,0.0000001\r\n"
        );
    }

    #[test]
    fn values_keep_full_precision() {
        let v = 0.1 + 0.2;
        let csv = chart_csv(&[("x".into(), vec![(0.0, v)])]);
        let value = csv.lines().nth(1).unwrap().rsplit(',').next().unwrap();
        assert_eq!(value.parse::<f64>().unwrap(), v, "{value}");
    }

    #[test]
    fn an_empty_chart_is_the_header_alone() {
        assert_eq!(chart_csv(&[]), "time,series,value\r\n");
        assert_eq!(chart_csv(&[("a".into(), vec![])]), "time,series,value\r\n");
    }

    #[test]
    fn file_names_are_safe() {
        let noon = 1_704_112_496_789.0; // 2024-01-01T12:34:56Z
        assert_eq!(
            file_name("Temperature", noon, 0.0),
            "Temperature-2024-01-01.csv"
        );
        assert_eq!(file_name("a/b\\c:d", noon, 0.0), "a_b_c_d-2024-01-01.csv");
        assert_eq!(file_name("  ../..  ", noon, 0.0), "_-2024-01-01.csv");
        assert_eq!(file_name("", noon, 0.0), "chart-2024-01-01.csv");
        assert_eq!(file_name("...", noon, 0.0), "chart-2024-01-01.csv");
        assert_eq!(
            file_name("x", noon, 780.0),
            "x-2023-12-31.csv",
            "UTC-13: still yesterday"
        );
        assert_eq!(
            file_name(&"é".repeat(100), noon, 0.0).chars().count(),
            60 + 15
        );
    }
}
