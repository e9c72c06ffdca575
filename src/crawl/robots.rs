//! robots.txt: fetched once per host per crawl, parsed with texting_robots.
//!
//! Missing (4xx) means everything is allowed; a server error or an unreachable robots.txt means
//! nothing is, for this crawl (the conservative reading Google documents for 5xx).

use std::time::Duration;

use texting_robots::Robot;

/// What a host's robots.txt allows.
#[derive(Debug)]
pub enum Robots {
    /// No usable robots.txt (404 and the like): everything allowed.
    AllowAll,
    /// robots.txt could not be read (5xx, network error): nothing allowed this crawl.
    DisallowAll(String),
    /// Parsed rules.
    Rules(Box<Robot>),
}

impl Robots {
    /// Builds the rules from a fetched robots.txt (`status`, `body`) for our user agent.
    pub fn from_response(user_agent: &str, status: u16, body: &[u8]) -> Robots {
        match status {
            200..=299 => match Robot::new(robots_token(user_agent), body) {
                Ok(r) => Robots::Rules(Box::new(r)),
                // An unparseable file is treated like a missing one, as major crawlers do.
                Err(_) => Robots::AllowAll,
            },
            400..=499 => Robots::AllowAll,
            s => Robots::DisallowAll(format!("robots.txt answered HTTP {s}")),
        }
    }

    /// Whether `url` may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Robots::AllowAll => true,
            Robots::DisallowAll(_) => false,
            Robots::Rules(r) => r.allowed(url),
        }
    }

    /// The Crawl-delay asked for, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Robots::Rules(r) => {
                r.delay.filter(|d| d.is_finite() && *d >= 0.0).map(|d| Duration::from_secs_f64(f64::from(d)))
            }
            _ => None,
        }
    }
}

/// The product token robots.txt groups are matched against: the User-Agent up to the first `/`.
fn robots_token(user_agent: &str) -> &str {
    user_agent.split(['/', ' ']).next().unwrap_or(user_agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disallow_and_delay() {
        let r = Robots::from_response(
            "cluewatch/0.1 (+x)",
            200,
            b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n",
        );
        assert!(r.allowed("http://h/news/1.html"));
        assert!(!r.allowed("http://h/private/a.html"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert!(Robots::from_response("cw", 404, b"").allowed("http://h/x"));
        assert!(!Robots::from_response("cw", 503, b"").allowed("http://h/x"));
    }
}
