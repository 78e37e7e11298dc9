"""Hand-written SQL computing the dashboard figures from the records, run through the bare DB-API cursor.

The yardstick for the app's dashboards: the same figures straight from attempts, completions,
lessons read, assignments and waivers, with no SQLAlchemy and no cache in between, so the ratio
measures the app's design (the module_status cache and the status rule applied in Python), not
only ORM overhead. The department query is written for the question, independently of the app's
queries; the statewide one still follows db/queries/statewide.py (which does not use the cache). Parameters are
written :name (sqlite3's style) and rewritten to %(name)s for psycopg.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

# The department dashboard from the records themselves (lessons read, attempts, completions,
# assignments, waivers), as one statement: the yardstick the app's module_status cache is measured
# against. Written for this question, not from the app's queries. The benchmark's state has no cycle
# opened, so every record counts (as the app does before a first cycle).
OVERVIEW = """
WITH roster AS (
  SELECT id, name, badge_number FROM officer WHERE department_id = :d AND active AND role <> 'admin'),
mods(module_id, pos) AS (VALUES {mods}),
per_source AS (
  SELECT officer_id, module_id, 0 AS lessons, 0 AS tries, CAST(NULL AS FLOAT) AS best,
         MIN(completed_at) AS first_pass
  FROM completion WHERE officer_id IN (SELECT id FROM roster) GROUP BY officer_id, module_id
  UNION ALL
  SELECT officer_id, module_id, 0, COUNT(*), MAX(score), NULL
  FROM attempt WHERE officer_id IN (SELECT id FROM roster) GROUP BY officer_id, module_id
  UNION ALL
  SELECT officer_id, module_id, COUNT(*), 0, NULL, NULL
  FROM lesson_progress WHERE officer_id IN (SELECT id FROM roster) GROUP BY officer_id, module_id),
facts AS (
  SELECT officer_id, module_id, SUM(lessons) AS lessons, SUM(tries) AS tries, MAX(best) AS best,
         MIN(first_pass) AS first_pass
  FROM per_source GROUP BY officer_id, module_id),
dept_due AS (
  SELECT module_id, due_date, cycle, id FROM (
    SELECT module_id, due_date, cycle, id, ROW_NUMBER() OVER (PARTITION BY module_id ORDER BY due_date, id) AS k
    FROM assignment WHERE department_id = :d AND active) x WHERE k = 1),
own_due AS (
  SELECT officer_id, module_id, due_date, cycle, id FROM (
    SELECT officer_id, module_id, due_date, cycle, id,
           ROW_NUMBER() OVER (PARTITION BY officer_id, module_id ORDER BY due_date, id) AS k
    FROM assignment WHERE active AND officer_id IN (SELECT id FROM roster)) x WHERE k = 1),
in_force AS (
  SELECT w.officer_id, w.module_id FROM waiver w
  WHERE w.officer_id IN (SELECT id FROM roster) AND w.revokes_id IS NULL AND w.starts_on <= :today
    AND (w.ends_on IS NULL OR w.ends_on >= :today)
    AND NOT EXISTS (SELECT 1 FROM waiver rv WHERE rv.revokes_id = w.id)),
grid AS (
  SELECT r.id AS officer_id, r.name, r.badge_number, m.module_id, m.pos, f.lessons, f.tries, f.best, f.first_pass,
         CASE WHEN o.id IS NOT NULL AND (dd.id IS NULL OR o.due_date < dd.due_date
                                         OR (o.due_date = dd.due_date AND o.id < dd.id))
              THEN o.due_date ELSE dd.due_date END AS due_date,
         CASE WHEN o.id IS NOT NULL AND (dd.id IS NULL OR o.due_date < dd.due_date
                                         OR (o.due_date = dd.due_date AND o.id < dd.id))
              THEN o.cycle ELSE dd.cycle END AS cycle
  FROM roster r CROSS JOIN mods m
  LEFT JOIN facts f ON f.officer_id = r.id AND f.module_id = m.module_id
  LEFT JOIN dept_due dd ON dd.module_id = m.module_id
  LEFT JOIN own_due o ON o.officer_id = r.id AND o.module_id = m.module_id),
cells AS (
  SELECT officer_id, name, badge_number, module_id, pos,
         CASE WHEN first_pass IS NOT NULL THEN 'passed'
              WHEN due_date IS NOT NULL AND EXISTS (
                SELECT 1 FROM in_force i WHERE i.officer_id = grid.officer_id
                  AND (i.module_id IS NULL OR i.module_id = grid.module_id)) THEN 'waived'
              WHEN due_date < :today THEN 'overdue'
              WHEN lessons > 0 OR tries > 0 THEN 'in progress'
              ELSE 'not started' END AS status,
         first_pass, best, COALESCE(tries, 0) AS tries, due_date, cycle,
         CASE WHEN due_date IS NULL THEN 0 ELSE 1 END AS assigned
  FROM grid)
SELECT officer_id, name, badge_number, module_id, status, first_pass, best, tries, due_date, cycle, assigned,
       COUNT(*) OVER per_module,
       SUM(CASE WHEN status = 'passed' THEN assigned ELSE 0 END) OVER per_module,
       SUM(CASE WHEN status = 'overdue' THEN assigned ELSE 0 END) OVER per_module,
       SUM(CASE WHEN status = 'in progress' THEN assigned ELSE 0 END) OVER per_module,
       SUM(assigned) OVER per_module,
       SUM(CASE WHEN status = 'waived' THEN assigned ELSE 0 END) OVER per_module
FROM cells WINDOW per_module AS (PARTITION BY module_id)
ORDER BY name, officer_id, pos
"""

BUCKET = {"sqlite": "strftime('%Y-%m-01', c.completed_at)",
          "postgresql": "to_char(date_trunc('month', c.completed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')"}

TREND = """
SELECT bucket, n, SUM(n) OVER (ORDER BY bucket) FROM (
  SELECT {bucket} AS bucket, COUNT(*) AS n
  FROM completion c JOIN officer o ON o.id = c.officer_id
  WHERE o.department_id = :d AND o.active AND o.role <> 'admin' AND c.module_id IN ({mod_list})
  GROUP BY 1) per
ORDER BY bucket
"""

STATEWIDE = """
WITH mods(module_id) AS (VALUES {mod_values}),
staff AS (SELECT department_id, COUNT(*) AS n FROM officer
          WHERE active AND role <> 'admin' AND department_id IS NOT NULL GROUP BY department_id),
passed AS ({passed}),
dept_any AS (SELECT DISTINCT department_id, module_id FROM assignment WHERE active AND department_id IS NOT NULL),
dept_due AS (SELECT DISTINCT department_id, module_id FROM assignment
             WHERE active AND department_id IS NOT NULL AND due_date < :today),
w AS (SELECT w.officer_id, w.module_id FROM waiver w
      WHERE w.revokes_id IS NULL AND w.starts_on <= :today AND (w.ends_on IS NULL OR w.ends_on >= :today)
        AND NOT EXISTS (SELECT 1 FROM waiver r WHERE r.revokes_id = w.id)),
own_asg AS (SELECT o.department_id, a.module_id, COUNT(DISTINCT a.officer_id) AS n,
                   COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM completion c WHERE c.officer_id = a.officer_id
                                                    AND c.module_id = a.module_id) THEN a.officer_id END) AS p
            FROM assignment a JOIN officer o ON o.id = a.officer_id
            WHERE a.active AND o.active AND o.role <> 'admin' AND o.department_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM dept_any d WHERE d.department_id = o.department_id
                                                         AND d.module_id = a.module_id)
            GROUP BY o.department_id, a.module_id),
own_due AS (SELECT o.department_id, a.module_id, COUNT(DISTINCT a.officer_id) AS n
            FROM assignment a JOIN officer o ON o.id = a.officer_id
            WHERE a.active AND a.due_date < :today AND o.active AND o.role <> 'admin'
              AND o.department_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.officer_id = a.officer_id
                                                          AND c.module_id = a.module_id)
              AND NOT EXISTS (SELECT 1 FROM dept_due d WHERE d.department_id = o.department_id
                                                         AND d.module_id = a.module_id)
              AND NOT EXISTS (SELECT 1 FROM w WHERE w.officer_id = a.officer_id
                                                AND (w.module_id = a.module_id OR w.module_id IS NULL))
            GROUP BY o.department_id, a.module_id),
waived AS (SELECT o.department_id, m.module_id, COUNT(DISTINCT w.officer_id) AS n
           FROM w JOIN officer o ON o.id = w.officer_id
           JOIN mods m ON w.module_id = m.module_id OR w.module_id IS NULL
           WHERE o.active AND o.role <> 'admin' AND o.department_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM assignment a WHERE a.active AND a.module_id = m.module_id
                           AND (a.department_id = o.department_id OR a.officer_id = w.officer_id))
             AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.officer_id = w.officer_id
                                                          AND c.module_id = m.module_id)
           GROUP BY o.department_id, m.module_id)
SELECT dep.id, dep.name, dep.code, m.module_id, COALESCE(staff.n, 0),
       CASE WHEN dept_any.module_id IS NOT NULL THEN COALESCE(passed.n, 0) ELSE COALESCE(own_asg.p, 0) END,
       CASE WHEN dept_due.module_id IS NOT NULL
            THEN COALESCE(staff.n, 0) - COALESCE(passed.n, 0) - COALESCE(waived.n, 0) ELSE 0 END
       + COALESCE(own_due.n, 0),
       CASE WHEN dept_any.module_id IS NOT NULL THEN COALESCE(staff.n, 0) ELSE COALESCE(own_asg.n, 0) END,
       COALESCE(waived.n, 0)
FROM department dep CROSS JOIN mods m
LEFT JOIN staff ON staff.department_id = dep.id
LEFT JOIN passed ON passed.department_id = dep.id AND passed.module_id = m.module_id
LEFT JOIN dept_any ON dept_any.department_id = dep.id AND dept_any.module_id = m.module_id
LEFT JOIN dept_due ON dept_due.department_id = dep.id AND dept_due.module_id = m.module_id
LEFT JOIN own_asg ON own_asg.department_id = dep.id AND own_asg.module_id = m.module_id
LEFT JOIN own_due ON own_due.department_id = dep.id AND own_due.module_id = m.module_id
LEFT JOIN waived ON waived.department_id = dep.id AND waived.module_id = m.module_id
WHERE dep.active
ORDER BY dep.name, m.module_id
"""


PASSED = {  # each backend's faster way to count distinct officers who passed (see db/queries/statewide.py)
    "sqlite": """SELECT o.department_id, c.module_id, COUNT(DISTINCT c.officer_id) AS n
                 FROM completion c JOIN officer o ON o.id = c.officer_id
                 WHERE o.active AND o.role <> 'admin' AND o.department_id IS NOT NULL
                 GROUP BY o.department_id, c.module_id""",
    "postgresql": """SELECT o.department_id, p.module_id, COUNT(*) AS n
                     FROM (SELECT officer_id, module_id FROM completion GROUP BY officer_id, module_id) p
                     JOIN officer o ON o.id = p.officer_id
                     WHERE o.active AND o.role <> 'admin' AND o.department_id IS NOT NULL
                     GROUP BY o.department_id, p.module_id""",
}


def _run(conn: Any, dialect: str, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    if dialect == "postgresql":
        sql = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
    cur = conn.cursor()
    try:
        cur.execute(sql, params)
        return list(cur.fetchall())
    finally:
        cur.close()


def _mods(module_ids: list[str]) -> tuple[dict[str, Any], str, str]:
    params = {f"m{i}": m for i, m in enumerate(module_ids)}
    return params, ", ".join(f":m{i}" for i in range(len(module_ids))), ", ".join(f"(:m{i})" for i in range(len(module_ids)))


def department_dashboard(conn: Any, dialect: str, department_id: int, module_ids: list[str],
                         today: date) -> dict[str, Any]:
    """Matrix, per-module counts, overdue list and monthly trend, as plain tuples."""
    params, mod_list, _ = _mods(module_ids)
    params.update(d=department_id, today=today if dialect == "postgresql" else today.isoformat())
    values = ", ".join(f"(:m{i}, {i})" for i in range(len(module_ids)))
    rows = _run(conn, dialect, OVERVIEW.format(mods=values), params)
    matrix = [(*r[:10], bool(r[10])) for r in rows]
    counts = {r[3]: tuple(int(x) for x in r[11:]) for r in rows}
    rates = [(m, *counts.get(m, (0, 0, 0, 0, 0, 0))) for m in module_ids]
    overdue = sorted((r for r in matrix if r[4] == "overdue"), key=lambda r: (str(r[8]), r[1], r[0], r[3]))
    trend_params = {k: v for k, v in params.items() if k != "today"}
    trend = _run(conn, dialect, TREND.format(bucket=BUCKET[dialect], mod_list=mod_list), trend_params)
    return {"matrix": matrix, "rates": rates, "overdue": overdue, "trend": trend}


def statewide(conn: Any, dialect: str, module_ids: list[str], today: date) -> list[tuple[Any, ...]]:
    params, _, values = _mods(module_ids)
    params["today"] = today if dialect == "postgresql" else today.isoformat()
    return _run(conn, dialect, STATEWIDE.format(mod_values=values, passed=PASSED[dialect]), params)
