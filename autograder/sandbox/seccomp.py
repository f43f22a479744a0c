"""The system calls a student's processes may not make: a seccomp filter, written by libseccomp.

    program = student_filter()    # BPF (struct sock_filter[] as bytes) for this machine, or Unavailable
    DENIED                        # {system call: errno}, what a student's call returns instead

The grader builds the filter once, with libseccomp (through pyseccomp, its Python interface);
each student's pid 1 installs it (kernel.install_seccomp) after its namespaces, mounts and
/proc are made and its capabilities dropped, so every process of the student runs under it
and the zygote, which still makes each student's namespaces, never does.

The list is Flatpak's (common/flatpak-run.c: its blocklist and the calls it denies to apps that
are not development tools), which follows Docker's default profile, with what else reaches
another process or the kernel's less-trodden paths: the process-to-process calls
(process_vm_*, pidfd_getfd, process_madvise, kcmp), bpf, userfaultfd and io_uring, which
Docker's default profile denies too. Everything else is allowed: numpy, matplotlib, threads,
os.fork and subprocess work as they do anywhere.
"""

import errno
import functools
import platform
import tempfile

CLONE_NEWUSER = 0x10000000
TIOCSTI, TIOCLINUX = 0x5412, 0x541C
AF_NETLINK = 16
ALLOWED_FAMILIES = (0, 1, 2, 10, AF_NETLINK)  # unspec, unix, inet, inet6, netlink (Flatpak's)

_EPERM = (
    "keyctl",
    "add_key",
    "request_key",  # the keyrings: the grader's session keyring, others'
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "pidfd_getfd",
    "process_madvise",
    "kcmp",
    "perf_event_open",
    "bpf",
    "userfaultfd",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",  # no namespaces or mounts of its own
    "syslog",
    "uselib",
    "acct",
    "quotactl",
    "modify_ldt",
    "mbind",
    "set_mempolicy",
    "migrate_pages",
    "move_pages",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
)
# clone3's flags are in memory, where a filter cannot look: ENOSYS makes the C library use clone().
_ENOSYS = ("clone3", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr")

DENIED = {
    **{name: errno.EPERM for name in _EPERM},
    **{name: errno.ENOSYS for name in _ENOSYS},
    "clone (with CLONE_NEWUSER)": errno.EPERM,
}


class Unavailable(RuntimeError):
    """This machine cannot build the filter (no libseccomp)."""


@functools.cache
def student_filter():
    """The filter as BPF bytes for this machine's architecture (calls of other ABIs are killed)."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as error:  # OSError: pyseccomp found no libseccomp.so.2
        raise Unavailable(f"libseccomp cannot be loaded ({error}; apt-get install libseccomp2)") from None
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        for names, code in ((_EPERM, errno.EPERM), (_ENOSYS, errno.ENOSYS)):
            for name in names:
                _deny(seccomp, rules, name, code)
        _deny(seccomp, rules, "clone", errno.EPERM, seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER))
        for request in (TIOCSTI, TIOCLINUX):  # typing into a terminal someone else reads
            _deny(seccomp, rules, "ioctl", errno.EPERM, seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
        for family in range(AF_NETLINK):  # vsock, packet, bluetooth, ...: never needed, some reach the host
            if family not in ALLOWED_FAMILIES:
                _deny(seccomp, rules, "socket", errno.EAFNOSUPPORT, seccomp.Arg(0, seccomp.EQ, family))
        _deny(seccomp, rules, "socket", errno.EAFNOSUPPORT, seccomp.Arg(0, seccomp.GE, AF_NETLINK + 1))
        with tempfile.TemporaryFile() as program:
            rules.export_bpf(program)
            program.seek(0)
            return program.read()
    except Unavailable:
        raise
    except (OSError, RuntimeError, ValueError) as error:
        raise Unavailable(f"libseccomp could not build the filter ({error})") from None


# Without these the filter is not worth installing: refused rather than built without them.
REQUIRED = (
    "keyctl",
    "add_key",
    "request_key",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "perf_event_open",
    "unshare",
    "setns",
    "clone",
    "clone3",
)


def _deny(seccomp, rules, name, code, *arguments):
    try:
        rules.add_rule(seccomp.ERRNO(code), name, *arguments)
    except OSError as error:  # a call this libseccomp does not know (older than the kernel)
        if name in REQUIRED:
            raise Unavailable(f"libseccomp does not know {name}() ({error}): a newer libseccomp is needed") from None


KEYCTL = {"x86_64": 250, "aarch64": 219}  # where libseccomp cannot be asked


def syscall_number(name):
    """The number of a system call on this machine's architecture, as libseccomp knows it."""
    try:
        import pyseccomp as seccomp

        return seccomp.resolve_syscall(seccomp.system_arch(), name)
    except (ImportError, OSError):
        return KEYCTL.get(platform.machine()) if name == "keyctl" else None


def problem():
    """None if the filter can be built here, else why not."""
    try:
        student_filter()
    except Unavailable as error:
        return str(error)
    return None
