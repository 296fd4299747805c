//! The person at the recorder: asked to change discs and to confirm burns.
//!
//! [`Terminal`] asks on the terminal; [`NoOperator`] (`--no-prompt`) declines everything, so a
//! scenario that needs a person is skipped (and reported as skipped, never as passed);
//! [`Scripted`] answers from a list, for tests.

use std::io::{BufRead, Write};

/// An operator's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Done: the disc is in the tray (check it again).
    Ready,
    /// Skip this scenario.
    Skip,
    /// Stop recording (the scenarios left are skipped).
    Quit,
}

/// Someone who can put a disc in a tray.
pub trait Operator {
    /// Asks for `request` (a sentence such as "insert a blank CD-R ... into E:").
    fn ask(&mut self, request: &str) -> Reply;
    /// Tells something that needs no answer.
    fn tell(&mut self, message: &str);
    /// Whether anyone is there to ask (false for `--no-prompt`): a scenario that changes discs
    /// half way is skipped up front when nobody is.
    fn present(&self) -> bool {
        true
    }
}

/// Asks on the terminal: Enter when done, `s` to skip, `q` to stop. End of input counts as `q`.
pub struct Terminal<R: BufRead, W: Write> {
    input: R,
    output: W,
}

impl Terminal<std::io::BufReader<std::io::Stdin>, std::io::Stderr> {
    /// Reads standard input and writes to standard error (standard output holds the report).
    pub fn stdio() -> Self {
        Terminal { input: std::io::BufReader::new(std::io::stdin()), output: std::io::stderr() }
    }
}

impl<R: BufRead, W: Write> Terminal<R, W> {
    /// Asks on `output`, reads answers from `input`.
    pub fn new(input: R, output: W) -> Self {
        Terminal { input, output }
    }
}

impl<R: BufRead, W: Write> Operator for Terminal<R, W> {
    fn ask(&mut self, request: &str) -> Reply {
        loop {
            let _ = write!(self.output, "{request}\n  press Enter when done, s to skip this scenario, q to stop: ");
            let _ = self.output.flush();
            let mut line = String::new();
            match self.input.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    let _ = writeln!(self.output);
                    return Reply::Quit;
                }
                Ok(_) => {}
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "" | "y" | "yes" => return Reply::Ready,
                "s" | "skip" => return Reply::Skip,
                "q" | "quit" => return Reply::Quit,
                other => {
                    let _ = writeln!(self.output, "  `{other}`: answer with Enter, s or q");
                }
            }
        }
    }

    fn tell(&mut self, message: &str) {
        let _ = writeln!(self.output, "{message}");
    }
}

/// Nobody there (`--no-prompt`): every request is declined, so the scenario is skipped.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoOperator;

impl Operator for NoOperator {
    fn ask(&mut self, _: &str) -> Reply {
        Reply::Skip
    }
    fn tell(&mut self, message: &str) {
        eprintln!("{message}");
    }
    fn present(&self) -> bool {
        false
    }
}

/// Answers from a list and keeps what it was asked (tests). When the list runs out it quits.
#[derive(Clone, Debug, Default)]
pub struct Scripted {
    /// Answers still to give, in order.
    pub replies: std::collections::VecDeque<Reply>,
    /// Every request and message, in order.
    pub heard: Vec<String>,
}

impl Scripted {
    /// An operator who will answer `replies` in order.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Self {
        Scripted { replies: replies.into_iter().collect(), heard: Vec::new() }
    }
}

impl Operator for Scripted {
    fn ask(&mut self, request: &str) -> Reply {
        self.heard.push(request.to_string());
        self.replies.pop_front().unwrap_or(Reply::Quit)
    }
    fn tell(&mut self, message: &str) {
        self.heard.push(message.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_reads_enter_skip_and_quit() {
        let input = b"\nhuh\ns\nQ\n";
        let mut out = Vec::new();
        let mut t = Terminal::new(&input[..], &mut out);
        assert_eq!(t.ask("insert a disc"), Reply::Ready);
        assert_eq!(t.ask("insert a disc"), Reply::Skip, "an unknown answer asks again");
        assert_eq!(t.ask("insert a disc"), Reply::Quit);
        assert_eq!(t.ask("insert a disc"), Reply::Quit, "end of input stops");
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("`huh`: answer with Enter, s or q"), "{text}");
    }

    #[test]
    fn nobody_declines() {
        assert_eq!(NoOperator.ask("insert"), Reply::Skip);
    }
}
