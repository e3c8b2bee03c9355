"""Start a kernel within resource limits; the sandbox puts this in front of the kernel's command.

    python -m autograder.launch --address-space-mb N --file-mb N --cpu-seconds N [--die-with-parent] -- CMD...

It sets the limits (inherited by everything the kernel starts), sends the kernel's own console chatter to
/dev/null (the student's output goes through Jupyter's channels, not there) and then becomes ``CMD``:
bubblewrap wrapping the kernel, or the kernel itself.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import signal

PR_SET_PDEATHSIG = 1
# Only the launcher needs to find this package; the kernel gets the environment it was given without it.
LAUNCHER_PATH = "AUTOGRADER_LAUNCHER_PATH"


def main(argv: list[str] | None = None) -> None:  # never returns: becomes the command
    parser = argparse.ArgumentParser(prog="python -m autograder.launch", description=__doc__.splitlines()[0])
    parser.add_argument("--address-space-mb", type=int, required=True)
    parser.add_argument("--file-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--die-with-parent", action="store_true",
                        help="SIGKILL when the process that started the kernel ends (bubblewrap does this itself)")
    parser.add_argument("--forget-parent", action="store_true",
                        help="drop JPY_PARENT_PID: in its own process namespace the kernel cannot see that pid and "
                             "would think the grader had gone")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    for limit, mb in ((resource.RLIMIT_AS, args.address_space_mb), (resource.RLIMIT_FSIZE, args.file_mb)):
        resource.setrlimit(limit, (mb << 20, mb << 20))
    resource.setrlimit(resource.RLIMIT_CPU, (args.cpu_seconds, args.cpu_seconds))
    env = dict(os.environ)
    if args.forget_parent:
        env.pop("JPY_PARENT_PID", None)
    if env.pop(LAUNCHER_PATH, None) is not None:
        env.pop("PYTHONPATH", None)
    if args.die_with_parent:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main()
