"""Generate ``districts.csv``: a California-like housing table with the book's schema.

Run ``python data/districts/generate.py`` to rebuild it; the seed is fixed, so the file comes
out byte for byte the same (a test checks this against the committed CSV).

The real California housing data (1990 census, one row per block group) cannot be downloaded
here, so this script makes a stand-in with the same columns, units and quirks:

* ``longitude``, ``latitude``: districts cluster around a few cities along the coast and in
  the Central Valley, inside a rough outline of the state;
* ``housing_median_age``: 1 to 52 years, capped at 52 (many rows sit on the cap);
* ``total_rooms``, ``total_bedrooms``, ``population``, ``households``: totals for the
  district (not per household), heavy-tailed; ``total_bedrooms`` is missing in 207 rows;
* ``median_income``: in tens of thousands of dollars, roughly 0.5 to 15, capped at 15.0001;
* ``median_house_value``: the target, in dollars, capped at 500,001;
* ``ocean_proximity``: ``<1H OCEAN``, ``INLAND``, ``NEAR OCEAN``, ``NEAR BAY`` or ``ISLAND``.

Income is the strongest predictor of value (correlation near 0.7); being close to the coast
and to a big city adds to it; inland districts are cheaper. Nothing here is real data.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import numpy as np

SEED = 42
N_ROWS = 20_640
N_MISSING_BEDROOMS = 207
OUT = Path(__file__).with_name("districts.csv")
COLUMNS = [
    "longitude", "latitude", "housing_median_age", "total_rooms", "total_bedrooms",
    "population", "households", "median_income", "median_house_value", "ocean_proximity",
]

# (longitude, latitude) of the coastline, north to south.
COAST = np.array([
    (-124.2, 42.0), (-124.1, 40.8), (-123.8, 39.8), (-123.0, 38.3), (-122.5, 37.8),
    (-122.4, 37.2), (-121.9, 36.6), (-121.3, 35.7), (-120.6, 34.9), (-120.0, 34.45),
    (-119.2, 34.2), (-118.5, 34.0), (-118.3, 33.7), (-117.9, 33.6), (-117.3, 33.0),
    (-117.1, 32.5),
])
# name, longitude, latitude, spread (degrees), share of districts, price premium (log dollars)
CITIES = [
    ("Los Angeles", -118.25, 34.05, 0.35, 0.30, 0.30),
    ("Bay Area", -122.15, 37.65, 0.30, 0.17, 0.45),
    ("San Diego", -117.10, 32.80, 0.18, 0.08, 0.25),
    ("Sacramento", -121.40, 38.60, 0.25, 0.07, -0.05),
    ("Fresno", -119.80, 36.75, 0.25, 0.05, -0.25),
    ("Riverside", -117.30, 33.95, 0.30, 0.08, -0.05),
    ("Central Coast", -120.60, 35.20, 0.45, 0.04, 0.15),
    ("North Coast", -123.60, 40.20, 0.60, 0.03, -0.10),
]
BAY = (-122.30, 37.75, 0.45)  # centre and radius of "NEAR BAY"
ISLAND = (-118.45, 33.38)  # a handful of districts on an offshore island


def _segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / (ab @ ab), 0.0, 1.0)
    return np.linalg.norm(points - (a + t[:, None] * ab), axis=1)


def coast_distance(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance in degrees from each point to the coastline polyline."""
    pts = np.column_stack([lon, lat])
    pairs = zip(COAST[:-1], COAST[1:], strict=True)
    return np.min([_segment_distance(pts, a, b) for a, b in pairs], axis=0)


def coast_longitude(lat: np.ndarray) -> np.ndarray:
    """The coastline's longitude at each latitude (north-to-south polyline interpolated)."""
    order = np.argsort(COAST[:, 1])
    return np.interp(lat, COAST[order, 1], COAST[order, 0])


def _locations(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shares = np.array([c[4] for c in CITIES])
    rural = 1.0 - shares.sum()
    which = rng.choice(len(CITIES) + 1, size=n, p=np.append(shares, rural))
    lon = np.empty(n)
    lat = np.empty(n)
    premium = np.zeros(n)
    for k, (_, cx, cy, spread, _, bonus) in enumerate(CITIES):
        m = which == k
        lon[m] = cx + rng.normal(0, spread, m.sum())
        lat[m] = cy + rng.normal(0, spread * 0.8, m.sum())
        premium[m] = bonus
    m = which == len(CITIES)
    lat[m] = rng.uniform(32.6, 41.9, m.sum())
    lon[m] = coast_longitude(lat[m]) + rng.uniform(0.05, 4.0, m.sum())
    # Keep everyone on land: east of the coast, west of the state's eastern edge.
    lon = np.maximum(lon, coast_longitude(lat) + 0.02)
    lon = np.minimum(lon, -114.3)
    lat = np.clip(lat, 32.54, 41.95)
    return np.round(lon, 2), np.round(lat, 2), premium


def generate(seed: int = SEED, n: int = N_ROWS) -> list[list[object]]:
    rng = np.random.default_rng(seed)
    lon, lat, premium = _locations(rng, n)
    # A few island districts.
    island = rng.choice(n, size=5, replace=False)
    lon[island] = np.round(ISLAND[0] + rng.normal(0, 0.03, 5), 2)
    lat[island] = np.round(ISLAND[1] + rng.normal(0, 0.02, 5), 2)

    dist = coast_distance(lon, lat)
    in_bay = np.hypot(lon - BAY[0], lat - BAY[1]) < BAY[2]
    proximity = np.where(dist < 0.12, "NEAR OCEAN", np.where(dist < 0.9, "<1H OCEAN", "INLAND"))
    proximity = np.where(in_bay & (dist < 0.9), "NEAR BAY", proximity)
    proximity[island] = "ISLAND"
    coastal = np.exp(-dist / 0.6)

    age = np.clip(np.round(rng.normal(27 + 6 * coastal, 12.5)), 1, 60)
    age = np.minimum(age, 52)

    log_income = 1.08 + 0.30 * coastal + 0.35 * premium + rng.normal(0, 0.42, n)
    income = np.clip(np.exp(log_income), 0.4999, 15.0001)
    income = np.round(income, 4)

    households = np.round(np.exp(rng.normal(6.0, 0.55, n)) + 1).astype(int)
    rooms_per_house = np.exp(rng.normal(np.log(5.2) + 0.05 * (income - 3.5) / 2, 0.2, n))
    rooms = np.maximum(2, np.round(households * rooms_per_house)).astype(int)
    bedroom_share = np.clip(rng.normal(0.215 - 0.01 * (income - 3.5), 0.03, n), 0.1, 0.5)
    bedrooms = np.maximum(1, np.round(rooms * bedroom_share)).astype(int)
    people_per_house = np.exp(rng.normal(np.log(2.9), 0.25, n))
    population = np.maximum(3, np.round(households * people_per_house)).astype(int)

    log_value = (
        10.82
        + 0.50 * np.log(income)
        + 0.07 * income
        + 0.55 * coastal
        + 0.80 * premium
        + 0.004 * (age - 28)
        - 0.25 * (proximity == "INLAND")
        + rng.normal(0, 0.25, n)
    )
    value = np.clip(np.round(np.exp(log_value), -2), 14_999, 500_001)
    value = np.where(value >= 500_001, 500_001, value).astype(int)

    bedrooms_col: list[object] = [int(b) for b in bedrooms]
    for i in rng.choice(n, size=N_MISSING_BEDROOMS, replace=False):
        bedrooms_col[i] = ""

    return [
        [f"{lon[i]:.2f}", f"{lat[i]:.2f}", int(age[i]), int(rooms[i]), bedrooms_col[i],
         int(population[i]), int(households[i]), f"{income[i]:.4f}", int(value[i]), proximity[i]]
        for i in range(n)
    ]


def write(path: Path = OUT) -> str:
    rows = generate()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(f"wrote {target} sha256={write(target)}")
