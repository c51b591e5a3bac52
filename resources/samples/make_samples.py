#!/usr/bin/env python3
"""Generates the bundled demo dataset: orders.csv and orders.jsonl, the same 2,000 e-commerce
order events in both forms. Deterministic (fixed seed); rerun to regenerate:
    python3 resources/samples/make_samples.py"""
import csv, datetime, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(20240301)

CATALOG = [
    # sku, product, category, brand, price
    ("SKU-1001", "Wireless Mouse", "Electronics", "Logi", 24.99),
    ("SKU-1002", "Mechanical Keyboard", "Electronics", "Keychron", 89.00),
    ("SKU-1003", "USB-C Hub 7-in-1", "Electronics", "Anker", 39.95),
    ("SKU-1004", "27\" 4K Monitor", "Electronics", "Dell", 329.00),
    ("SKU-2001", "Espresso Beans, 1 kg", "Grocery", "Lavazza", 18.50),
    ("SKU-2002", "Green Tea (100 bags)", "Grocery", "Twinings", 7.25),
    ("SKU-2003", "Dark Chocolate 85%", "Grocery", "Lindt", 3.49),
    ("SKU-3001", "Running Shoes", "Sports", "Asics", 119.90),
    ("SKU-3002", "Yoga Mat", "Sports", "Manduka", 68.00),
    ("SKU-3003", "Water Bottle 750 ml", "Sports", "Hydro Flask", 34.95),
    ("SKU-4001", "Paperback: The Pragmatic Programmer", "Books", "Addison-Wesley", 42.00),
    ("SKU-4002", "Notebook A5, dotted", "Books", "Leuchtturm", 19.95),
    ("SKU-5001", "Desk Lamp", "Home", "IKEA", 29.99),
    ("SKU-5002", "Scented Candle \u201cSea Breeze\u201d", "Home", "Yankee", 22.00),
    ("SKU-5003", "Ceramic Mug", "Home", "Muji", 9.90),
]
PLACES = [("US", "New York"), ("US", "San Francisco"), ("DE", "Berlin"), ("DE", "K\u00f6ln"),
          ("FR", "Paris"), ("JP", "\u6771\u4eac"), ("CN", "\u5317\u4eac"), ("GB", "London"),
          ("BR", "S\u00e3o Paulo"), ("IN", "Bengaluru")]
CURRENCY = {"US": "USD", "DE": "EUR", "FR": "EUR", "JP": "JPY", "CN": "CNY", "GB": "GBP",
            "BR": "BRL", "IN": "INR"}
EVENTS = ["Order Completed"] * 6 + ["Product Added"] * 3 + ["Order Refunded"]
NOTES = ["", "", "", "", "Gift wrap, please", "Leave at the door", "Call on arrival: \"ring twice\"",
         "Deliver after 6 pm\nback entrance", "Fragile \u2014 glass inside"]

start = datetime.datetime(2024, 3, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)
rows = []
t = start
for i in range(1, 2001):
    t += datetime.timedelta(seconds=rnd.randrange(20, 900))
    sku, product, category, brand, price = rnd.choice(CATALOG)
    country, city = rnd.choice(PLACES)
    qty = rnd.choice([1, 1, 1, 2, 2, 3, 5])
    logged_in = rnd.random() < 0.8
    coupon = rnd.choice(["", "", "", "SPRING10", "WELCOME5"])
    discount = 0.10 if coupon == "SPRING10" else (0.05 if coupon == "WELCOME5" else 0.0)
    rows.append({
        "order_id": f"ORD-{100000 + i}",
        "event": rnd.choice(EVENTS),
        "user_id": f"u{rnd.randrange(1, 600):04d}" if logged_in else None,
        "anonymous_id": None if logged_in else f"anon-{rnd.getrandbits(48):012x}",
        "sku": sku,
        "product": product,
        "category": category,
        "brand": brand,
        "quantity": qty,
        "unit_price": price,
        "total": round(price * qty * (1 - discount), 2),
        "currency": CURRENCY[country],
        "coupon": coupon or None,
        "paid": rnd.random() < 0.93,
        "country": country,
        "city": city,
        "created_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notes": rnd.choice(NOTES) or None,
    })

cols = list(rows[0].keys())
with open(os.path.join(HERE, "orders.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r[c] is None else ("true" if r[c] is True else "false" if r[c] is False else r[c]) for c in cols])
with open(os.path.join(HERE, "orders.jsonl"), "w", newline="\n", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
print(len(rows), "rows")
