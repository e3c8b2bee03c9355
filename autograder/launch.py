"""Start a kernel within resource limits; the sandbox puts this in front of the kernel's command.

    python -m autograder.launch --address-space-mb N --file-mb N --cpu-seconds N [--forget-parent] -- CMD...

It sets the limits (inherited by everything the kernel starts), asks for SIGKILL when the process that
started it ends (and ends at once if that process is already gone), sends the kernel's own console chatter
to /dev/null (the student's output goes through Jupyter's channels, not there) and then becomes ``CMD``:
bubblewrap wrapping the kernel, or the kernel itself.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1
# Only the launcher needs to find this package; the kernel gets the environment it was given without it.
LAUNCHER_PATH = "AUTOGRADER_LAUNCHER_PATH"


def main(argv: list[str] | None = None) -> None:  # never returns: becomes the command
    parser = argparse.ArgumentParser(prog="python -m autograder.launch", description=__doc__.splitlines()[0])
    parser.add_argument("--address-space-mb", type=int, required=True)
    parser.add_argument("--file-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
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
    # SIGKILL when the grader's worker ends; it survives exec (bubblewrap, the kernel). A worker that ended
    # before this line cannot send it, so check that it is still the parent (jupyter_client names it).
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if env.get("JPY_PARENT_PID", "").isdigit() and os.getppid() != int(env["JPY_PARENT_PID"]):
        sys.exit("autograder.launch: the grader that started this kernel has ended")
    if args.forget_parent:
        env.pop("JPY_PARENT_PID", None)
    if env.pop(LAUNCHER_PATH, None) is not None:
        env.pop("PYTHONPATH", None)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    main()
