//! mfa-profile on a pseudo-terminal (python3's `pty`), answering its prompts like a person: a
//! list of (text to wait for, keys to type). Gives the exit code, everything the terminal
//! showed, and whether the terminal echoes again at the end.

use crate::support::*;

const DRIVER: &str = r#"
import json, os, pty, select, sys, termios, time
args, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out, seen = b"", 0
def read_some(deadline):
    global out
    ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    out += chunk
    return bool(chunk) or None
for wait, send in steps:
    deadline = time.time() + 60
    while out.find(wait.encode(), seen) < 0:
        got = read_some(deadline)
        if got is None or (got is False and time.time() >= deadline):
            print(json.dumps({"code": -2, "transcript": out.decode("utf-8", "replace"),
                              "echo": None, "stuck_at": wait}))
            sys.exit(0)
    seen = out.find(wait.encode(), seen) + len(wait)
    time.sleep(0.05)
    os.write(fd, send.encode())
while read_some(time.time() + 30):
    pass
echo = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status),
                  "transcript": out.decode("utf-8", "replace"), "echo": echo}))
"#;

/// What a run on a terminal did.
pub struct OnTerminal {
    pub code: i64,
    pub transcript: String,
    /// The terminal echoes again once the command ended.
    pub echo: bool,
}

impl std::fmt::Display for OnTerminal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- terminal ---\n{}",
            self.code, self.transcript
        )
    }
}

/// Runs mfa-profile with `args` on a terminal in `env`, typing each answer once its prompt
/// shows. `None` (skip) without python3 outside CI.
pub fn on_terminal(
    env: &TestEnv,
    vars: &[(&str, &str)],
    args: &[&str],
    steps: &[(&str, &str)],
) -> Option<OnTerminal> {
    program_on_terminal(env, vars, BIN, args, steps)
}

/// Runs `program` with `args` on a terminal in `env`, as [`on_terminal`] runs mfa-profile.
pub fn program_on_terminal(
    env: &TestEnv,
    vars: &[(&str, &str)],
    program: &str,
    args: &[&str],
    steps: &[(&str, &str)],
) -> Option<OnTerminal> {
    if !require("python3") {
        return None;
    }
    let mut argv = vec![program.to_owned()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let mut cmd = env.command("python3");
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = run(cmd.args([
        "-c",
        DRIVER,
        &serde_json::to_string(&argv).unwrap(),
        &serde_json::to_string(steps).unwrap(),
    ]));
    assert_eq!(out.code, 0, "the pty driver failed\n{out}");
    let value: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    let transcript = value["transcript"].as_str().unwrap().to_owned();
    if let Some(stuck) = value.get("stuck_at").and_then(|s| s.as_str()) {
        panic!("never saw {stuck:?} on the terminal:\n{transcript}");
    }
    Some(OnTerminal {
        code: value["code"].as_i64().unwrap(),
        transcript,
        echo: value["echo"].as_bool().unwrap_or(false),
    })
}
