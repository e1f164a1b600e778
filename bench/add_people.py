"""Adds N participants, not yet invited, to the demo campaign of the SQLite file
DB, and marks the demo's own participants invited: the next click on « Envoyer
les invitations » queues exactly N.
    python3 bench/add_people.py DB N
"""
import sqlite3, sys, secrets
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
campaign = c.execute("SELECT id FROM campaigns WHERE slug = 'diagnostic-anjou-bleu'").fetchone()[0]
c.execute("UPDATE participants SET invited_at = '2026-01-01T00:00:00Z' WHERE campaign_id = ?", (campaign,))
c.executemany(
    "INSERT INTO participants (campaign_id, first_name, last_name, email, token_hash, origin, created_at) "
    "VALUES (?, 'Prénom', 'Nom', ?, ?, 'invitation', '2026-01-01T00:00:00Z')",
    [(campaign, f"p{i}@bench.example.fr", secrets.token_hex(32)) for i in range(n)])
c.commit()
