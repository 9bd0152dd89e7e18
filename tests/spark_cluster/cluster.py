"""A standalone Spark cluster on the loopback address, for the `spark_thrift` target.

pip's pyspark ships what a cluster needs: the standalone Master and Worker and the Spark
Thrift server (HiveThriftServer2). `StandaloneCluster` starts a master, N workers (each a JVM
with its own cores and memory; each starts its executor JVM when the Thrift server's
application is granted one) and a Thrift server on the master, all bound to 127.0.0.1, on
ports free at start (the Thrift server's may be given; a port in use is named). The Thrift
server is the driver: it holds the metastore (an embedded Derby database) and plans the SQL;
the executors read the raw files and write the tables into the warehouse directory.
Everything lives in one work directory, logs included.

Each daemon starts in a process group of its own, and `stop()` ends every group it started
(SIGTERM, then SIGKILL after a grace period): the executors a worker launched are in the
worker's group. `stop()` runs on leaving the `with` block, also when a step failed, and
raises if a process it started is still running afterwards.

By hand, with a command run against it (APP_SESSIONS_SPARK_HOST and _PORT are set for it):

    python -m tests.spark_cluster.cluster --workers 2 -- dbt build --profiles-dir profiles ...
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

HOST = "127.0.0.1"
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"


class ClusterError(RuntimeError):
    """The cluster could not start: says what is missing and how to fix it."""


def spark_home() -> Path:
    try:
        import pyspark
    except ImportError as error:
        raise ClusterError(
            "pyspark is not installed: run make spark-venv (requirements-spark.txt)"
        ) from error
    return Path(pyspark.__file__).parent


def free_port() -> int:
    """A TCP port of the loopback address that nothing listens on now."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((HOST, 0))
            return probe.getsockname()[1]
    except OSError as error:
        raise ClusterError(
            f"cannot open a TCP port on {HOST} ({error}): the cluster binds every daemon to the "
            "loopback address; check that the machine has one and that ports can be opened"
        ) from error


def port_is_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


class StandaloneCluster:
    """A master, `workers` workers and a Thrift server, in `work_dir`; see the module doc."""

    def __init__(
        self,
        work_dir: Path,
        workers: int = 2,
        worker_cores: int = 1,
        worker_memory: str = "1g",
        driver_memory: str = "1g",
        shuffle_partitions: int = 4,
        start_timeout_s: float = 180.0,
        thrift_port: int | None = None,
    ) -> None:
        self.work_dir = work_dir.resolve()
        self.workers = workers
        self.worker_cores = worker_cores
        self.worker_memory = worker_memory
        self.driver_memory = driver_memory
        self.shuffle_partitions = shuffle_partitions
        self.start_timeout_s = start_timeout_s
        self.master_port = 0
        self.thrift_port = thrift_port or 0  # 0: a free port, chosen at start
        self._processes: dict[str, subprocess.Popen] = {}

    # -- starting -------------------------------------------------------------------------

    def start(self) -> Self:
        if shutil.which("java") is None:
            raise ClusterError(
                "the Spark cluster needs Java 17 (java is not on PATH): "
                "apt-get install -y openjdk-17-jre-headless"
            )
        home = spark_home()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        (self.work_dir / "logs").mkdir(exist_ok=True)
        self.master_port = free_port()
        self.thrift_port = self.thrift_port or free_port()
        try:
            self._start_master(home)
            for number in range(1, self.workers + 1):
                self._start_worker(home, number)
            self._wait_for(
                "master",
                lambda: len(re.findall("Registering worker", self._log("master"))) >= self.workers,
                f"{self.workers} worker(s) registered",
            )
            self._start_thrift_server(home)
        except BaseException:
            self.stop()
            raise
        return self

    def _environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": HOST,
            "SPARK_LOCAL_DIRS": str(self.work_dir / "scratch"),
            "SPARK_WORKER_DIR": str(self.work_dir / "worker"),
            "PYSPARK_PYTHON": sys.executable,
        }

    def _launch(self, name: str, args: list[str]) -> None:
        log = (self.work_dir / "logs" / f"{name}.log").open("w")
        self._processes[name] = subprocess.Popen(
            args,
            cwd=self.work_dir,
            env=self._environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it with its children
        )
        log.close()

    def _start_master(self, home: Path) -> None:
        self._launch(
            "master",
            [
                f"{home}/bin/spark-class",
                MASTER_CLASS,
                "--host",
                HOST,
                "--port",
                str(self.master_port),
                "--webui-port",
                str(free_port()),
            ],
        )
        self._wait_for("master", lambda: "I have been elected leader" in self._log("master"))

    def _start_worker(self, home: Path, number: int) -> None:
        self._launch(
            f"worker-{number}",
            [
                f"{home}/bin/spark-class",
                WORKER_CLASS,
                "--host",
                HOST,
                "--cores",
                str(self.worker_cores),
                "--memory",
                self.worker_memory,
                "--webui-port",
                str(free_port()),
                "--work-dir",
                str(self.work_dir / "worker" / str(number)),
                self.master_url,
            ],
        )

    def _start_thrift_server(self, home: Path) -> None:
        confs = {
            "spark.master": self.master_url,
            "spark.driver.host": HOST,
            "spark.driver.memory": self.driver_memory,
            "spark.executor.memory": self.worker_memory,
            "spark.executor.cores": str(self.worker_cores),
            "spark.cores.max": str(self.workers * self.worker_cores),
            "spark.sql.warehouse.dir": str(self.warehouse_dir),
            "spark.hadoop.javax.jdo.option.ConnectionURL": (
                f"jdbc:derby:;databaseName={self.work_dir / 'metastore_db'};create=true"
            ),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.work_dir / 'derby'}",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.ui.enabled": "false",
        }
        args = [f"{home}/bin/spark-submit", "--class", THRIFT_CLASS, "--name", "app_sessions"]
        for key, value in confs.items():
            args += ["--conf", f"{key}={value}"]
        args += [
            "--hiveconf",
            f"hive.server2.thrift.bind.host={HOST}",
            "--hiveconf",
            f"hive.server2.thrift.port={self.thrift_port}",
        ]
        self._launch("thrift", args)
        self._wait_for(
            "thrift",
            lambda: "HiveThriftServer2 started" in self._log("thrift")
            and port_is_open(self.thrift_port),
            f"listening on {HOST}:{self.thrift_port}",
        )

    def _wait_for(self, name: str, ready, what: str = "started") -> None:
        deadline = time.monotonic() + self.start_timeout_s
        while not ready():
            for started, process in self._processes.items():
                if process.poll() is not None:
                    log = self._log(started)
                    bind = re.search(r"(?:Could not create ServerSocket on address|"
                                     r"Address already in use)[^\n]*", log)  # fmt: skip
                    raise ClusterError(
                        f"the Spark {started} exited with code {process.returncode} before the "
                        f"{name} was {what}"
                        + (
                            f": a port it needs is in use ({bind.group(0).strip()}); stop what "
                            "listens there or choose another port"
                            if bind
                            else ""
                        )
                        + f"; the end of its log ({self.work_dir}/logs/{started}.log):\n"
                        + log[-3000:]
                    )
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"the Spark {name} was not {what} after {self.start_timeout_s:.0f} s; the "
                    f"end of its log ({self.work_dir}/logs/{name}.log):\n" + self._log(name)[-3000:]
                )
            time.sleep(0.5)

    def _log(self, name: str) -> str:
        path = self.work_dir / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # -- what a client needs ---------------------------------------------------------------

    @property
    def master_url(self) -> str:
        return f"spark://{HOST}:{self.master_port}"

    @property
    def warehouse_dir(self) -> Path:
        return self.work_dir / "warehouse"

    def executors_granted(self) -> int:
        """How many executors the master has granted the Thrift server's application."""
        return len(re.findall("Granted executor ID", self._log("thrift")))

    def dbt_environment(self) -> dict[str, str]:
        """What the `spark_thrift` target of profiles/profiles.yml reads."""
        return {
            "APP_SESSIONS_TARGET": "spark_thrift",
            "APP_SESSIONS_SPARK_HOST": HOST,
            "APP_SESSIONS_SPARK_PORT": str(self.thrift_port),
        }

    # -- stopping --------------------------------------------------------------------------

    def stop(self, grace_s: float = 30.0) -> None:
        """End every process group started, Thrift server first; raise if one survives."""
        for name in reversed(list(self._processes)):
            _signal_group(self._processes[name].pid, signal.SIGTERM)
        deadline = time.monotonic() + grace_s
        for process in self._processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self._processes.values():
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
        left = self.running_processes()
        if left:
            raise ClusterError(f"processes of the Spark cluster still run after stop(): {left}")

    def running_processes(self) -> list[int]:
        """Every live process in a process group this cluster started (daemons, executors)."""
        groups = {process.pid for process in self._processes.values()}
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            state, process_group = fields[0], int(fields[2])
            if process_group in groups and state != "Z":
                alive.append(int(entry.name))
        return sorted(alive)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, default=Path("target/spark-cluster"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-cores", type=int, default=1)
    parser.add_argument("--worker-memory", default="1g")
    parser.add_argument("--driver-memory", default="1g")
    parser.add_argument("--shuffle-partitions", type=int, default=4)
    parser.add_argument("--thrift-port", type=int, help="default: a free port")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run against the cluster after --")
    cluster = StandaloneCluster(
        args.work_dir,
        args.workers,
        args.worker_cores,
        args.worker_memory,
        args.driver_memory,
        args.shuffle_partitions,
        thrift_port=args.thrift_port,
    )
    with cluster:
        print(f"Spark Thrift server on {HOST}:{cluster.thrift_port}", flush=True)
        return subprocess.run(command, env={**os.environ, **cluster.dbt_environment()}).returncode


if __name__ == "__main__":
    sys.exit(main())
