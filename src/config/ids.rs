//! Random names the app makes up: client ids and topic prefixes. Pure, with the source of
//! randomness passed in (`browser::random` in the page, a fixed sequence in tests).

/// Letters and digits from a source of uniform `[0, 1)` numbers.
pub fn random_chars(n: usize, mut random: impl FnMut() -> f64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..n)
        .map(|_| {
            let i = (random() * ALPHABET.len() as f64) as usize;
            char::from(ALPHABET[i.min(ALPHABET.len() - 1)])
        })
        .collect()
}

/// A random client id, `tablero-` and eight letters or digits.
pub fn random_client_id(random: impl FnMut() -> f64) -> String {
    format!("tablero-{}", random_chars(8, random))
}

/// A topic prefix hard to guess, to suggest on public brokers: `tablero/` and six characters.
pub fn random_topic_prefix(random: impl FnMut() -> f64) -> String {
    format!("tablero/{}", random_chars(6, random))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_chars_stay_in_the_alphabet() {
        let mut x = 0.0;
        let s = random_chars(6, || {
            x += 0.17;
            x % 1.0
        });
        assert_eq!(s.len(), 6);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert_eq!(random_chars(2, || 0.999_999_9), "99");
        assert_eq!(random_chars(1, || 0.0), "a");
    }

    #[test]
    fn ids_and_prefixes_have_their_shape() {
        let id = random_client_id(|| 0.0);
        assert_eq!(id, "tablero-aaaaaaaa");
        assert_eq!(random_topic_prefix(|| 0.0), "tablero/aaaaaa");
    }
}
