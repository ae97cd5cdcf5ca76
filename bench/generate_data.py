"""Fill a database with realistic-looking data to measure the directory and the library at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apex_bench_scale \\
        .venv/bin/python bench/generate_data.py --profiles 1000000 --users 200000 --library 200000

Adds users, sim profiles over six simulators (one in three linked to a user,
one in ten private) and library setups to the database in ``DATABASE_URL``
(SQLite's db.sqlite3 when unset), which must be migrated already.

Rows are streamed: each table is written from a generator, through COPY on
PostgreSQL (psycopg's ``cursor.copy``) and batched multi-row INSERTs on
SQLite, so memory stays flat whatever the sizes. Everything is seeded, so the
same arguments give the same data.

It refuses to run on a database that already holds bench data (users with
the bench e-mail domain): regenerating means a fresh database, because
topping up would skew the ratios the benchmarks rely on.
"""

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal

from _common import load_average, peak_rss_mib, setup_django
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

BENCH_EMAIL_DOMAIN = "bench.apex.invalid"
SQLITE_BATCH = 2_000
LINKED_SHARE = 3  # one profile in three is linked to a user
PRIVATE_SHARE = 10  # one profile in ten is private

SIMULATORS = [
    ("iracing", "iRacing"),
    ("acc", "Assetto Corsa Competizione"),
    ("rfactor2", "rFactor 2"),
    ("lmu", "Le Mans Ultimate"),
    ("ams2", "Automobilista 2"),
    ("gt7", "Gran Turismo 7"),
]

FIRST_NAMES = [
    "Aaron",
    "Adam",
    "Adrian",
    "Aiden",
    "Alba",
    "Alex",
    "Alexander",
    "Alice",
    "Amelia",
    "Ana",
    "Andrea",
    "Andreas",
    "Anna",
    "Antoine",
    "Antonio",
    "Arjun",
    "Ayrton",
    "Beatriz",
    "Ben",
    "Benjamin",
    "Bruno",
    "Caio",
    "Camille",
    "Carla",
    "Carlos",
    "Charles",
    "Charlotte",
    "Chen",
    "Chloe",
    "Christian",
    "Clara",
    "Daniel",
    "Daniil",
    "David",
    "Diego",
    "Dmitri",
    "Elena",
    "Elias",
    "Elin",
    "Ella",
    "Emil",
    "Emilia",
    "Emma",
    "Enzo",
    "Eric",
    "Esteban",
    "Ethan",
    "Eva",
    "Fabio",
    "Felipe",
    "Felix",
    "Fernando",
    "Finn",
    "Francesca",
    "Gabriel",
    "George",
    "Giulia",
    "Hana",
    "Hannah",
    "Haruki",
    "Henrik",
    "Hugo",
    "Ida",
    "Igor",
    "Isabel",
    "Isak",
    "Ivan",
    "Jack",
    "Jacob",
    "James",
    "Jan",
    "Javier",
    "Jenson",
    "Jia",
    "Johan",
    "Jonas",
    "Jorge",
    "Jose",
    "Juan",
    "Julia",
    "Kai",
    "Karin",
    "Kenji",
    "Kevin",
    "Kimi",
    "Lando",
    "Lars",
    "Laura",
    "Lea",
    "Leo",
    "Lewis",
    "Liam",
    "Lina",
    "Logan",
    "Lucas",
    "Lucia",
    "Luis",
    "Lukas",
    "Maja",
    "Marco",
    "Maria",
    "Marie",
    "Mario",
    "Mark",
    "Marta",
    "Martin",
    "Mateo",
    "Max",
    "Mia",
    "Michael",
    "Mick",
    "Mika",
    "Mila",
    "Nadia",
    "Nico",
    "Nicolas",
    "Nina",
    "Noah",
    "Nora",
    "Oliver",
    "Olivia",
    "Omar",
    "Oscar",
    "Pablo",
    "Paul",
    "Pedro",
    "Pierre",
    "Priya",
    "Rafael",
    "Raphael",
    "Riccardo",
    "Robert",
    "Rosa",
    "Rubens",
    "Ryo",
    "Sakura",
    "Sam",
    "Sara",
    "Sebastian",
    "Sergio",
    "Simon",
    "Sofia",
    "Sophie",
    "Stefan",
    "Susie",
    "Theo",
    "Thomas",
    "Tomas",
    "Valtteri",
    "Victor",
    "Wei",
    "Will",
    "Yuki",
    "Zhou",
    "Zoe",
]
LAST_NAMES = [
    "Albon",
    "Alonso",
    "Andersen",
    "Bauer",
    "Becker",
    "Berg",
    "Bianchi",
    "Bottas",
    "Brown",
    "Button",
    "Carvalho",
    "Castro",
    "Chen",
    "Clark",
    "Costa",
    "Coulthard",
    "Dahl",
    "Davies",
    "Dubois",
    "Eriksson",
    "Evans",
    "Fernandes",
    "Ferrari",
    "Fischer",
    "Fontana",
    "Garcia",
    "Gasly",
    "Gomez",
    "Gonzalez",
    "Green",
    "Gruber",
    "Hakkinen",
    "Hamilton",
    "Hansen",
    "Hartley",
    "Hill",
    "Hoffmann",
    "Hughes",
    "Hulkenberg",
    "Ito",
    "Jensen",
    "Johansson",
    "Jones",
    "Kato",
    "Keller",
    "Kim",
    "King",
    "Klein",
    "Kobayashi",
    "Koch",
    "Kowalski",
    "Kubica",
    "Lambert",
    "Larsen",
    "Lauda",
    "Laurent",
    "Leclerc",
    "Lee",
    "Lehmann",
    "Li",
    "Lindqvist",
    "Lopez",
    "Magnussen",
    "Mansell",
    "Martin",
    "Martinez",
    "Massa",
    "Meyer",
    "Moreau",
    "Muller",
    "Nakamura",
    "Nielsen",
    "Norris",
    "Novak",
    "Ocon",
    "Olsen",
    "Perez",
    "Petit",
    "Piastri",
    "Prost",
    "Raikkonen",
    "Ricci",
    "Ricciardo",
    "Rossi",
    "Russell",
    "Sainz",
    "Santos",
    "Sato",
    "Schmidt",
    "Schneider",
    "Schumacher",
    "Senna",
    "Silva",
    "Smith",
    "Stewart",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thomas",
    "Tsunoda",
    "Verstappen",
    "Vettel",
    "Villeneuve",
    "Walker",
    "Wang",
    "Watanabe",
    "Weber",
    "Williams",
    "Wilson",
    "Wolf",
    "Wu",
    "Yamamoto",
    "Young",
    "Zhang",
    "Zhou",
]
TAG_WORDS = [
    "Apex",
    "Blaze",
    "Bolt",
    "Brake",
    "Chicane",
    "Clutch",
    "Comet",
    "Drift",
    "Flat",
    "Ghost",
    "Grip",
    "Hairpin",
    "Jet",
    "Kerb",
    "Lap",
    "Late",
    "Nitro",
    "Oversteer",
    "Pit",
    "Pole",
    "Rapid",
    "Redline",
    "Rocket",
    "Slick",
    "Slip",
    "Speed",
    "Sprint",
    "Storm",
    "Stint",
    "Throttle",
    "Turbo",
    "Vortex",
    "Wing",
    "Wolf",
    "Zero",
]

TRACKS = [
    "Spa-Francorchamps",
    "Monza",
    "Silverstone",
    "Nurburgring",
    "Nordschleife",
    "Suzuka",
    "Interlagos",
    "Imola",
    "Brands Hatch",
    "Laguna Seca",
    "Road Atlanta",
    "Watkins Glen",
    "Sebring",
    "Daytona",
    "Le Mans",
    "Zandvoort",
    "Barcelona",
    "Hungaroring",
    "Red Bull Ring",
    "Mount Panorama",
    "Phillip Island",
    "Fuji",
    "Okayama",
    "Donington Park",
    "Oulton Park",
    "Snetterton",
    "Misano",
    "Mugello",
    "Vallelunga",
    "Paul Ricard",
    "Magny-Cours",
    "Estoril",
    "Portimao",
    "Jerez",
    "Valencia",
    "Hockenheim",
    "Sachsenring",
    "Oschersleben",
    "Lime Rock",
    "Road America",
    "Mid-Ohio",
    "Sonoma",
    "COTA",
    "Indianapolis",
    "Kyalami",
    "Zolder",
    "Cadwell Park",
    "Knockhill",
    "Thruxton",
    "Anderstorp",
]
VEHICLES = {
    "Porsche": ["911 GT3 R", "911 GT3 Cup", "718 Cayman GT4", "963"],
    "Ferrari": ["296 GT3", "488 GT3 Evo", "499P"],
    "BMW": ["M4 GT3", "M4 GT4", "M8 GTE", "M Hybrid V8"],
    "Mercedes-AMG": ["GT3 Evo", "GT4"],
    "Audi": ["R8 LMS Evo II", "R8 LMS GT4"],
    "Lamborghini": ["Huracan GT3 Evo2", "Huracan ST"],
    "McLaren": ["720S GT3 Evo", "570S GT4"],
    "Aston Martin": ["Vantage GT3", "Vantage GT4"],
    "Ford": ["Mustang GT3", "GT"],
    "Chevrolet": ["Corvette Z06 GT3.R", "Camaro ZL1"],
    "Toyota": ["GR86", "GR010", "Supra GT4"],
    "Mazda": ["MX-5 Cup"],
    "Honda": ["NSX GT3 Evo", "Civic Type R TCR"],
    "Dallara": ["F3", "IR18", "P217"],
    "Ligier": ["JS P320"],
}
CONDITIONS = ["Dry", "Dry", "Dry", "Wet", "Damp", "Hot", "Cold", "Night", ""]
SOURCES = ["", "", "Club night", "League setup", "Forum post", "Coach notes", "Shared by team", "Hotlap"]


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def _driver_name(rng: random.Random) -> str:
    first, last = _person(rng)
    roll = rng.random()
    if roll < 0.6:
        return f"{first} {last}"
    if roll < 0.75:
        return f"{first[0]}. {last}"
    return f"{rng.choice(TAG_WORDS)}{rng.choice(TAG_WORDS)}{rng.randint(1, 99)}"


class BenchDataError(Exception):
    """The sizes or the database do not allow a run; nothing was written."""


def generate(*, profiles: int, users: int, library: int, seed: int = 2024, progress: bool = True) -> None:
    """Add ``users`` users, ``profiles`` sim profiles and ``library`` library setups."""
    # Imported here, not at the top: main() sets Django up first.
    from library.models import LibrarySetup
    from profiles.models import User
    from sims.models import SimProfile, Simulator

    if min(profiles, users, library) < 0 or users < 1:
        raise BenchDataError("Sizes must not be negative, and --users must be at least 1.")
    if User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").exists():
        raise BenchDataError(
            f"This database already holds bench data (users @{BENCH_EMAIL_DOMAIN}). "
            "Generate into a fresh database: the ratios the benchmarks rely on would drift otherwise."
        )
    now = timezone.now().replace(microsecond=0)
    simulators = [
        Simulator.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk for slug, name in SIMULATORS
    ]
    first_user = (User.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    user_ids = range(first_user, first_user + users)

    _load(User, users, _users(random.Random(seed), now, first_user, users), progress)
    _load(
        SimProfile,
        profiles,
        _profiles(random.Random(seed + 1), now, profiles, simulators, user_ids),
        progress,
    )
    _load(LibrarySetup, library, _library(random.Random(seed + 2), now, library, user_ids), progress)

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [User, LibrarySetup]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


# --- rows ---------------------------------------------------------------------


def _when(rng: random.Random, now: dt.datetime, days: int = 3 * 365) -> dt.datetime:
    return now - dt.timedelta(seconds=rng.randrange(days * 86_400))


def _users(rng: random.Random, now: dt.datetime, first_id: int, count: int) -> Iterator[dict]:
    for n in range(count):
        first, last = _person(rng)
        joined = _when(rng, now)
        style = rng.random()
        if style < 0.5:
            handle = f"{first}{last}".lower()
        elif style < 0.8:
            handle = f"{first[0]}{last}".lower()
        else:
            handle = f"{rng.choice(TAG_WORDS)}_{rng.choice(TAG_WORDS)}".lower()
        username = f"{handle}{n}"
        yield {
            "id": first_id + n,
            "password": "!bench",  # unusable: nobody logs in as a bench user
            "last_login": None,
            "is_superuser": False,
            "username": username,
            "first_name": first if rng.random() < 0.8 else "",
            "last_name": last if rng.random() < 0.8 else "",
            "email": f"{username}@{BENCH_EMAIL_DOMAIN}",
            "is_staff": False,
            "is_active": True,
            "date_joined": joined,
        }


def _profiles(
    rng: random.Random, now: dt.datetime, count: int, simulators: list[int], user_ids: range
) -> Iterator[dict]:
    for n in range(count):
        updated = _when(rng, now)
        linked = n % LINKED_SHARE == 0
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "simulator_id": simulators[n % len(simulators)],
            "profile_identifier": str(70_000_000 + n),
            "profile_name": _driver_name(rng),
            "profile_data": "{}",
            "is_public": n % PRIVATE_SHARE != 5,
            "is_verified": linked and rng.random() < 0.4,
            "linked_user_id": rng.choice(user_ids) if linked else None,
            "linked_at": updated if linked else None,
            "created_at": updated - dt.timedelta(days=rng.randrange(400)),
            "updated_at": updated,
        }


def _library(rng: random.Random, now: dt.datetime, count: int, user_ids: range) -> Iterator[dict]:
    from racing.setup_params import DECIMAL, INT, PARAMS, TEXT

    def param_value(param):
        if rng.random() < 0.3:
            return "" if param.kind == TEXT else None
        if param.kind == INT:
            return rng.randint(int(param.min), int(param.max))
        if param.kind == DECIMAL:
            low, high = int(param.min * 100), int(param.max * 100)
            return Decimal(rng.randint(low, high)) / 100
        return rng.choice(["soft", "medium", "hard", "open", "locked", "1-way", "2-way"])[: param.max_length]

    brands = list(VEHICLES)
    for _ in range(count):
        brand = rng.choice(brands)
        created = _when(rng, now, days=5 * 365)
        row = {
            "track": rng.choice(TRACKS),
            "brand": brand,
            "vehicle": rng.choice(VEHICLES[brand]),
            "condition": rng.choice(CONDITIONS),
            "date": None if rng.random() < 0.05 else created.date(),
            "source": rng.choice(SOURCES),
            "added_by_id": rng.choice(user_ids) if rng.random() < 0.9 else None,
            "import_key": "",
            "created_at": created,
            "updated_at": created,
        }
        row.update({p.field: param_value(p) for p in PARAMS})
        yield row


# --- writing ------------------------------------------------------------------


def _load(model: type[models.Model], total: int, rows: Iterable[dict], progress: bool) -> None:
    if not total:
        return
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    if model._meta.label == "profiles.User":
        fields = list(model._meta.concrete_fields)  # bench users get known ids to link to
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [f.column for f in fields]
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    attnames = [f.attname for f in fields]
    bar = tqdm(total=total, desc=str(model._meta.verbose_name_plural), unit=" rows", disable=not progress)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for i, row in enumerate(rows, 1):
                    copy.write_row([row[a] for a in attnames])
                    if i % 10_000 == 0:
                        bar.update(10_000)
        else:
            prepare = [_sqlite_value(f) for f in fields]
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch = []
            for row in rows:
                batch.append([prep(row[a]) for prep, a in zip(prepare, attnames, strict=True)])
                if len(batch) == SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    bar.update(total - bar.n)
    bar.close()


def _sqlite_value(field: models.Field):
    ops = connection.ops
    if isinstance(field, models.UUIDField):
        return lambda v: v.hex
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else str(v)
    return lambda v: v


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--library", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")
    args = parser.parse_args()

    setup_django()
    print(
        f"== {connection.vendor} database {connection.settings_dict['NAME']}; load average {load_average()}"
    )
    started = time.perf_counter()
    try:
        generate(
            profiles=args.profiles,
            users=args.users,
            library=args.library,
            seed=args.seed,
            progress=not args.no_progress,
        )
    except BenchDataError as error:
        sys.exit(str(error))
    print(
        f"Added {args.users:,} users, {args.profiles:,} sim profiles and {args.library:,} library setups "
        f"in {time.perf_counter() - started:.1f}s; peak memory of this process {peak_rss_mib():.0f} MiB; "
        f"load average at the end {load_average()}."
    )


if __name__ == "__main__":
    main()
