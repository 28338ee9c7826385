"""The benchmark's printed table: seconds, throughput and the ratio ours/floor per job."""

from saldo.bench import floor
from saldo.bench.data import PERIOD
from saldo.bench.runner import BenchResult, Timing
from saldo.core.money import format_rupiah

TARGET_RATIO = 3.0


def ratio(ours: Timing, raw: Timing) -> float:
    """How many times longer ours takes than the floor for the same work (time ratio)."""
    return ours.seconds / raw.seconds if raw.seconds > 0 else float("inf")


def _row(label: str, unit: str, timing: Timing) -> str:
    return f"{label:<62} {timing.count:>11,} {unit:<9} {timing.seconds:>9.2f} {timing.per_second:>13,.0f}"


def _verdict(value: float) -> str:
    return "ok" if value <= TARGET_RATIO else f"ABOVE TARGET {TARGET_RATIO:g}"


def render(result: BenchResult) -> str:
    s = result.server
    import_ratio = ratio(result.import_ours, result.import_floor)
    returns_ratio = ratio(result.returns_ours, result.returns_floor)
    same_total = result.ours_import_total == result.floor_import_total
    lines = [
        "",
        f"saldo bench: {result.members:,} members, {result.employers:,} employers, "
        f"wage month {PERIOD:%Y-%m}, database {result.database}",
        f"PostgreSQL {s.get('server_version', '?').split()[0]}; shared_buffers {s.get('shared_buffers')}, "
        f"work_mem {s.get('work_mem')}, synchronous_commit {s.get('synchronous_commit')}, "
        f"jit {s.get('jit')}; {s['cpus']} CPUs; IMPORT_BATCH_ROWS {s['import_batch_rows']}",
        "",
        f"{'step':<62} {'count':>11} {'unit':<9} {'seconds':>9} {'per second':>13}",
        "-" * 108,
        _row("members_import (setup, no target)", "rows", result.members_import),
        _row("contributions_import (ours)", "rows", result.import_ours),
        _row("floor: COPY into bare table + 1 UPDATE of JHT and JP balances", "rows", result.import_floor),
        _row(f"returns_credit {PERIOD.year} (ours)", "accounts", result.returns_ours),
        _row("floor: 1 UPDATE crediting every bare balance", "accounts", result.returns_floor),
        "-" * 108,
        f"ratio ours/floor, time (target <= {TARGET_RATIO:g}):   "
        f"import {import_ratio:.2f}  [{_verdict(import_ratio)}]   "
        f"returns {returns_ratio:.2f}  [{_verdict(returns_ratio)}]",
        "",
        f"floor tables: {floor.WAGES} has no index, key or constraint; {floor.BALANCES} has one row",
        "  per KPJ and programme, filled before timing, primary key (kpj, programme) only. Both programmes",
        f"  are updated, as our import does: balances updated ours {result.ours_import_balances:,}, "
        f"floor {result.floor_import_balances:,}.",
        "  Not timed: file generation; VACUUM ANALYZE after setup and after the imports (autovacuum's work);",
        "  a CHECKPOINT before each timed step. Each timed step is one transaction, commit included.",
        f"balances after import: ours {format_rupiah(result.ours_import_total)}, floor "
        f"{format_rupiah(result.floor_import_total)} ({'equal' if same_total else 'DIFFERENT'})",
        _ledger_line(result),
    ]
    if result.explain_file:
        lines.append(
            f"EXPLAIN ANALYZE of the slow statements (timings inflated by it): {result.explain_file}"
        )
    return "\n".join(lines)


def _ledger_line(result: BenchResult) -> str:
    if not result.mismatches:
        return f"ledger check: OK, every balance equals the sum of its entries ({result.entries:,} entries)"
    shown = ", ".join(f"{m.kpj}/{m.programme}" for m in result.mismatches[:5])
    return (
        f"ledger check: FAILED, {len(result.mismatches):,} accounts differ from their entries (e.g. {shown})"
    )
