"""One class on two app servers: `pg_virtualenv -t python -m benchmarks.class_servers`.

Two `streamlit run` processes share one PostgreSQL, as two replicas behind a load balancer
would. The projector's page is on the first; 200 phones are split between the two, each a
real Streamlit session on its server's websocket (``benchmarks.class_sessions``). The phones
join, vote, and the teacher closes voting and reveals. Vote to tally: from a phone sending its
vote (to either server) to the first answer of the projector's count that includes it; the
reveal: from pressing Reveal to each phone saying right or wrong. The tally the projector draws
must equal the votes cast. Needs PostgreSQL: ``--url``, or libpq's PG* variables.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics

from benchmarks.class_sessions import (
    class_server,
    revealed,
    tally_checked,
    votes_counted,
    walk_in,
)
from benchmarks.class_store import LIBPQ, percentile
from dashboard.harness import CODE, open_session


async def run(urls: list[str], students: int, spread: float) -> dict:
    projector = await open_session(urls[0], "projector", "view=Teach")
    await projector.press("Start a class")
    (code,) = {text for text in projector.texts if CODE.fullmatch(text)}
    phones = await walk_in(urls[0], code, students, others=tuple(urls[1:]))
    ballots = await votes_counted(projector, phones, spread)
    await tally_checked(projector, ballots)
    told = await revealed(projector, phones)
    await projector.press("End class")
    await projector.press("Yes, end the class")
    for page in (projector, *phones):
        await page.close()
    counted = [ballot.counted for ballot in ballots]
    return {
        "servers": len(urls),
        "students": students,
        "votes": len(ballots),
        "vote_to_tally_p50_s": round(statistics.median(counted), 3),
        "vote_to_tally_p95_s": round(percentile(counted, 0.95), 3),
        "reveal_to_phone_p50_s": round(statistics.median(told), 2),
        "reveal_to_phone_p95_s": round(percentile(told, 0.95), 2),
    }


def measure(database: str, students: int = 200, spread: float = 5) -> dict:
    """A class of ``students`` split over two app servers whose class store is ``database``
    (PostgreSQL). The machine's cores are shared by both servers, the database and the
    sessions driven here."""
    with class_server(database, False) as (first, _), class_server(database, False) as (second, _):
        return asyncio.run(run([first.url, second.url], students, spread))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL URL (default: libpq's PG* variables)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--spread", type=float, default=5, help="seconds over which they vote")
    options = parser.parse_args()
    url = options.url or ("postgresql+psycopg://" if any(map(os.environ.get, LIBPQ)) else None)
    if url is None:
        parser.error(
            "two servers share a class through PostgreSQL: give --url or run it "
            "under pg_virtualenv -t"
        )
    print(json.dumps(measure(url, options.students, options.spread), indent=2))


if __name__ == "__main__":
    main()
