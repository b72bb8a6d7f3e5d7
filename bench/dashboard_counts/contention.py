"""8 writers step appraisals of ONE OPD for 15 s: UPDATE counters against insert-only deltas.

Run on a scratch database seeded with seed.sql and migrated to head (docs/scale.md,
"After: summary rows"): `python bench/dashboard_counts/contention.py deltas|ordered|counters URL`.
Each transaction UPDATEs one appraisal's state (as move_state does), then either
nothing more (deltas: the trigger inserts its row) or the two counter rows
(counters: in the order of the step; ordered: in a fixed order, which avoids
deadlocks), then sleeps 10 ms for the rest of fire() (audit, task, outbox) and
commits. Prints steps per second, p50/p95 latency and deadlocks.
"""

import random
import statistics
import sys
import threading
import time

import psycopg

STATES = [
    "draft",
    "plan_review",
    "self_assessment",
    "supervisor_review",
    "verification",
    "final",
    "objection",
]
SECONDS, WORKERS = 15, 8
COUNTER = "UPDATE counter_exp SET n = n + %s WHERE period_id = 1 AND opd_id = 1 AND state = %s"


def main(mode: str, url: str) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        action = "ENABLE" if mode == "deltas" else "DISABLE"
        c.execute(f"ALTER TABLE appraisal {action} TRIGGER appraisal_count_update")
        c.execute(
            "CREATE TABLE IF NOT EXISTS counter_exp (period_id int, opd_id int,"
            " state varchar(40), n int, PRIMARY KEY (period_id, opd_id, state))"
        )
        c.execute("TRUNCATE counter_exp")
        c.execute(
            "INSERT INTO counter_exp SELECT period_id, opd_id, state, count(*)"
            " FROM appraisal GROUP BY 1, 2, 3"
        )
    latencies: list[float] = []
    deadlocks = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with psycopg.connect(url) as c:
            while time.monotonic() < stop:
                aid = rng.randrange(1, 200000)
                start = time.perf_counter()
                try:
                    with c.transaction():
                        (src,) = c.execute(
                            "SELECT state FROM appraisal WHERE id = %s", (aid,)
                        ).fetchone()
                        step = rng.choice((1, -1))
                        dest = STATES[(STATES.index(src) + step) % len(STATES)]
                        c.execute(
                            "UPDATE appraisal SET state = %s, version = version + 1 WHERE id = %s",
                            (dest, aid),
                        )
                        pairs = [(-1, src), (1, dest)]
                        if mode == "ordered":
                            pairs.sort(key=lambda pair: pair[1])
                        if mode in ("counters", "ordered"):
                            for pair in pairs:
                                c.execute(COUNTER, pair)
                        c.execute("SELECT pg_sleep(0.01)")
                except psycopg.errors.DeadlockDetected:
                    with lock:
                        deadlocks[0] += 1
                    continue
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("ALTER TABLE appraisal ENABLE TRIGGER appraisal_count_update")
    latencies.sort()
    median = statistics.median(latencies)
    print(
        f"{mode}: {len(latencies) / SECONDS:.0f} steps/s, p50 {median:.1f} ms,"
        f" p95 {latencies[int(len(latencies) * 0.95)]:.1f} ms, deadlocks {deadlocks[0]}"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
