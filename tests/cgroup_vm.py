"""A Linux with cgroup v2 only, booted under qemu, that sees this machine's files.

    missing = cgroup_vm.missing()              # what this machine lacks to boot it ([] = nothing)
    run = cgroup_vm.boot(script, work)         # `script` runs as root, as the VM's first process
    run.log                                    # the VM's console, for a failure message

The VM runs Debian's kernel (linux-image-amd64) under TCG, with this machine's root shared read-only
over 9p and `work` shared writable at the same path; /tmp, /run and /var/tmp are its own (but for
this checkout and its Python, kept at their paths where they lie there), and
/sys/fs/cgroup is cgroup2 with every controller. A small initramfs, built here into a temporary
folder (busybox and the 9p modules of that kernel), mounts all that and hands over to `script`.
`script` is a shell script; the VM powers off when it ends, and the console shows its output.
"""

import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MODULES = (
    "virtio_ring",
    "virtio",
    "virtio_pci_legacy_dev",
    "virtio_pci_modern_dev",
    "virtio_pci",
    "netfs",
    "fscache",
    "9pnet",
    "9pnet_virtio",
    "9p",
)  # in the order they need each other
NINEP = "trans=virtio,version=9p2000.L,cache=loose,msize=512000"
APT = "apt-get install qemu-system-x86 linux-image-amd64 busybox-static"
DONE = "lstm-vm: script ended with status"


def kernel():
    """(vmlinuz, its modules folder) of the newest Debian kernel installed, or None."""
    for image in sorted(Path("/boot").glob("vmlinuz-*"), reverse=True):
        modules = Path("/lib/modules") / image.name.removeprefix("vmlinuz-")
        if all(_module(modules, name) for name in MODULES):
            return image, modules
    return None


def _module(modules, name):
    return next(iter(sorted(modules.glob(f"kernel/**/{name}.ko*"))), None)


def missing():
    """What this machine lacks to boot the VM, each with how to get it; [] if nothing."""
    lacks = []
    if shutil.which("qemu-system-x86_64") is None:
        lacks.append("qemu-system-x86_64")
    if kernel() is None:
        lacks.append("a Debian kernel in /boot with its 9p and virtio modules")
    if not _static_busybox():
        lacks.append("a static busybox at /bin/busybox")
    return [f"{', '.join(lacks)} ({APT})"] if lacks else []


def _static_busybox():
    try:
        with open("/bin/busybox", "rb") as binary:
            head = binary.read(1 << 16)
    except OSError:
        return False
    return head.startswith(b"\x7fELF") and b"/lib64/ld-linux" not in head  # no dynamic loader named


# -- the initramfs ---------------------------------------------------------------------------------
INIT = """#!/bin/busybox sh
# The initramfs: load the 9p modules, mount this machine's root read-only, the test's folder
# writable at its own path, fresh /tmp /run /var/tmp, cgroup2; then hand over to the script.
B=/bin/busybox
$B mkdir -p /proc /sys /dev /root
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
for module in {modules}; do $B insmod /modules/$module.ko || echo "lstm-vm: cannot load $module"; done
$B mount -t 9p -o {ninep},ro hostroot /root || {{ echo "lstm-vm: cannot mount the host's root"; $B poweroff -f; }}
$B mkdir -p /kept
{keep_aside}
for folder in /tmp /run /var/tmp; do $B mount -t tmpfs -o mode=1777 tmpfs /root$folder; done
{put_back}
$B mkdir -p /root{work}
$B mount -t 9p -o {ninep} work /root{work} || {{ echo "lstm-vm: cannot mount the work folder"; $B poweroff -f; }}
$B mount --move /proc /root/proc
$B mount --move /sys /root/sys
$B mount --move /dev /root/dev
$B mount -t cgroup2 -o nsdelegate cgroup2 /root/sys/fs/cgroup
$B mkdir -p /root/dev/pts /root/dev/shm
$B mount -t devpts devpts /root/dev/pts
$B mount -t tmpfs -o mode=1777 tmpfs /root/dev/shm
exec $B switch_root /root /bin/busybox sh -c '/bin/sh {work}/script.sh > /dev/console 2>&1; \
echo "{done} $?"; /bin/busybox sync; /bin/busybox poweroff -f'
"""


def _cpio(entries, path):
    """A newc cpio archive (what the kernel unpacks as an initramfs) of (name, mode, data)."""
    with open(path, "wb") as archive:
        for number, (name, mode, data) in enumerate([*entries, ("TRAILER!!!", 0, b"")], start=1):
            encoded = name.encode() + b"\0"
            fields = [number, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0]
            header = b"070701" + b"".join(b"%08X" % value for value in fields)
            archive.write(header + encoded + b"\0" * (-(110 + len(encoded)) % 4))
            archive.write(data + b"\0" * (-len(data) % 4))


FRESH = ("/tmp", "/run", "/var/tmp")  # the VM's own, empty (the initramfs mounts a tmpfs on each)


def _fresh_folders_hide():
    """This checkout and its Python where they lie in a folder the VM makes fresh (a clone made
    with `mktemp -d`): they must stay visible there, at their paths."""
    import sys

    from autograder.course import REPOSITORY

    wanted = {REPOSITORY, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    inside = [p for p in wanted if any(p.is_relative_to(folder) for folder in FRESH)]
    return sorted(p for p in inside if not any(p != q and p.is_relative_to(q) for q in inside))


def _kept(paths):
    """The initramfs's lines that keep `paths` of the host's root over the fresh folders."""
    aside = [f"$B mkdir -p /kept/{k} && $B mount --bind /root{p} /kept/{k}" for k, p in enumerate(paths)]
    back = [f"$B mkdir -p /root{p} && $B mount --move /kept/{k} /root{p}" for k, p in enumerate(paths)]
    return {"keep_aside": "\n".join(aside), "put_back": "\n".join(back)}


def initramfs(folder, work):
    image, modules = kernel()
    directory = stat.S_IFDIR | 0o755
    entries = [
        ("bin", directory, b""),
        ("modules", directory, b""),
        ("bin/busybox", stat.S_IFREG | 0o755, Path("/bin/busybox").read_bytes()),
        (
            "init",
            stat.S_IFREG | 0o755,
            INIT.format(
                modules=" ".join(MODULES), ninep=NINEP, work=work, done=DONE, **_kept(_fresh_folders_hide())
            ).encode(),
        ),
    ]
    for name in MODULES:
        module = _module(modules, name)
        if module.suffix != ".ko":
            raise RuntimeError(f"{module}: compressed kernel modules are not handled")
        entries.append((f"modules/{name}.ko", stat.S_IFREG | 0o644, module.read_bytes()))
    path = Path(folder) / "initramfs.cpio"
    _cpio(entries, path)
    return image, path


# -- booting -----------------------------------------------------------------------------------------
@dataclass
class Run:
    status: int | None  # the script's exit status; None: it did not end (no boot, timeout, crash)
    log: str  # the console: the kernel's messages, then the script's output
    seconds: float

    def tail(self, lines=60):
        return "\n".join(self.log.splitlines()[-lines:])


def boot(script, work, timeout=900, memory_mb=3072, cpus=2):
    """Run the shell script `script` as root in the VM, `work` shared writable at its path."""
    work = Path(work).resolve()
    (work / "script.sh").write_text(script)
    with tempfile.TemporaryDirectory(prefix="lstm-vm-") as folder:
        image, ramdisk = initramfs(folder, work)
        console = Path(folder) / "console.log"
        command = [
            "qemu-system-x86_64",
            "-accel",
            "tcg,thread=multi",
            # x86-64-v2 (SSE4.2, no AVX), the least numpy runs on ("Illegal instruction" on qemu64):
            # numpy then takes SSE code, which TCG emulates well; with -cpu max it takes AVX2/AVX-512
            # code, emulated slowly (measured here: numpy and matplotlib's import 110 s against 8 s).
            # Nothing of cgroups depends on the CPU model.
            "-cpu",
            os.environ.get("LSTM_VM_CPU", "Nehalem"),
            "-smp",
            str(cpus),
            "-m",
            str(memory_mb),
            "-nodefaults",
            "-no-reboot",
            "-display",
            "none",
            "-serial",
            f"file:{console}",
            "-kernel",
            str(image),
            "-initrd",
            str(ramdisk),
            "-append",
            # log_buf_len: the OOM reports of a class (each lists the student's tasks) must not push
            # the first "fork rejected" line out of the kernel's log before the test reads it.
            "console=ttyS0 panic=-1 quiet loglevel=4 log_buf_len=16M rdinit=/init",
            "-virtfs",
            "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
            "-virtfs",
            f"local,path={work},mount_tag=work,security_model=none,multidevs=remap",
        ]
        start = time.monotonic()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            qemu_says, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            qemu_says, _ = process.communicate()
            qemu_says += f"\nlstm-vm: killed after {timeout} s".encode()
        finally:  # interrupted (Ctrl-C, a failing fixture): no VM outlives the test
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log = console.read_text(errors="replace") if console.exists() else ""
        log += qemu_says.decode(errors="replace")
    status = None
    for line in log.splitlines():
        if line.startswith(DONE):
            status = int(line.split()[-1])
    return Run(status, log, time.monotonic() - start)
