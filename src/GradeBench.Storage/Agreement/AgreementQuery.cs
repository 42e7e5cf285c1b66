using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Results;
using GradeBench.Storage.Rubrics;

namespace GradeBench.Storage.Agreement;

/// <summary>The submitted ratings that agreement is computed on: independent ratings only (adjudicated consensus
/// values live elsewhere and never enter here), drafts excluded, of the rubric's criteria (marks of the cases'
/// checklists are left out); the physicians' alone unless the caller includes the study's judges (<see cref="RaterScope"/>).</summary>
public sealed class AgreementQuery(Database database)
{
    sealed class Row
    {
        public long CriterionId { get; init; }
        public long ResponseId { get; init; }
        public long RaterId { get; init; }
        public string Value { get; init; } = "";
    }

    /// <summary>The study's submitted ratings, grouped by criterion database id. Reached through the study's responses
    /// (ratings are indexed by response), not its criteria: that scanned every study's ratings.</summary>
    public Task<ILookup<long, StoredRating>> SubmittedAsync(long studyId, CancellationToken ct = default) =>
        SubmittedAsync(studyId, RaterScope.Physicians, ct);

    /// <inheritdoc cref="SubmittedAsync(long, CancellationToken)"/>
    public async Task<ILookup<long, StoredRating>> SubmittedAsync(long studyId, RaterScope raters, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"""
            SELECT g.criterion_id, g.response_id, g.rater_id, g.value
            FROM responses r JOIN ratings g ON g.response_id = r.id
            WHERE r.study_id = @StudyId AND g.status = 'submitted' AND g.value IS NOT NULL
              AND (@WithJudges OR g.rater_id NOT IN {JudgeRaters.OfStudy})
            """, new { StudyId = studyId, WithJudges = raters == RaterScope.PhysiciansAndJudges }, cancellationToken: ct));
        var marks = await CaseCriteria.IdsOfStudyAsync(connection, null, studyId, ct);
        return rows.Where(r => !marks.Contains(r.CriterionId)).ToLookup(r => r.CriterionId, r => new StoredRating(r.ResponseId, r.RaterId, r.Value));
    }

    /// <summary>The same ratings as <see cref="SubmittedAsync(long, CancellationToken)"/>, by criterion database id, as flat columns: stepped
    /// through <see cref="RawRows"/>, each distinct value decoded once per criterion, no object per
    /// rating. Loading 1.6M ratings as objects took 3.2 s of the dashboard's agreement. Only the criteria named in
    /// <paramref name="criterionIds"/> are kept (free-text ones have no agreement, and every value of theirs differs).</summary>
    public Task<IReadOnlyDictionary<long, CriterionSubmissions>> SubmittedColumnsAsync(long studyId, IReadOnlySet<long> criterionIds,
        CancellationToken ct = default) => SubmittedColumnsAsync(studyId, criterionIds, RaterScope.Physicians, ct);

    /// <inheritdoc cref="SubmittedColumnsAsync(long, IReadOnlySet{long}, CancellationToken)"/>
    public async Task<IReadOnlyDictionary<long, CriterionSubmissions>> SubmittedColumnsAsync(long studyId, IReadOnlySet<long> criterionIds,
        RaterScope raters, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var mapped = await RawSqlite.MapAsync(connection, ct);
        var byCriterion = new Dictionary<long, CriterionSubmissions>();
        // Rows alternate between the study's few criteria: a short array beats a dictionary lookup per row.
        var seen = new List<(long Id, CriterionSubmissions? Ratings, Interner? Values)>();
        // The study's responses in their bundle ids' order (the unique index on slug), each looked up in the ratings' unique
        // index: rows come by response, then rater, the order the unit matrix wants (no sort of 400,000 ratings per
        // criterion), and the units are numbered as the study results number them (docs/agreement.md).
        var sql = raters == RaterScope.PhysiciansAndJudges ? Submitted
            : Submitted + await JudgeRaters.ExclusionAsync(connection, null, studyId, "g.rater_id", ct);
        sql += ResultsQuery.InUnitOrder;
        // Marks are passed over, not kept in the short array: a study has a handful of criteria, but thousands of marks' ones.
        var marks = await CaseCriteria.IdsOfStudyAsync(connection, null, studyId, ct);
        await RawRows.StepAsync(connection, null, sql, studyId, row =>
            {
                var criterionId = row.GetInt64(0);
                var at = 0;
                while (at < seen.Count && seen[at].Id != criterionId) at++;
                if (at == seen.Count)
                {
                    if (marks.Contains(criterionId)) return;
                    var ratings = criterionIds.Contains(criterionId) ? byCriterion[criterionId] = new CriterionSubmissions() : null;
                    seen.Add((criterionId, ratings, ratings is null ? null : new Interner(ratings.ValueTable)));
                }
                var (_, kept, values) = seen[at];
                kept?.Add(row.GetInt64(1), row.GetInt64(2), values!.Index(row.GetUtf8(3)));
            }, ct);
        return byCriterion;
    }

    const string Submitted = """
        SELECT g.criterion_id, g.response_id, g.rater_id, g.value
        FROM responses r JOIN ratings g ON g.response_id = r.id
        WHERE r.study_id = ?1 AND g.status = 'submitted' AND g.value IS NOT NULL
        """;

    /// <summary>Numbers a criterion's distinct values. A scale has a handful: comparing bytes with each beats decoding and
    /// hashing every row's; past <see cref="Linear"/> values (numeric criteria) a dictionary takes over.</summary>
    sealed class Interner(List<string> values)
    {
        const int Linear = 32;
        readonly List<byte[]> _encoded = [];
        readonly Dictionary<string, int> _index = [];

        public int Index(ReadOnlySpan<byte> utf8)
        {
            if (_encoded.Count <= Linear)
                for (var i = 0; i < _encoded.Count; i++)
                    if (utf8.SequenceEqual(_encoded[i])) return i;
            var text = System.Text.Encoding.UTF8.GetString(utf8);
            if (_encoded.Count > Linear && _index.TryGetValue(text, out var known)) return known;
            _encoded.Add(utf8.ToArray());
            values.Add(text);
            _index[text] = values.Count - 1;
            return values.Count - 1;
        }
    }
}
