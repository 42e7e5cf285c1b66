using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using GradeBench.Core.Grading;
using GradeBench.Core.Studies;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace GradeBench.Storage.Studies;

/// <summary>A response the import wrote: its database id and handle.</summary>
sealed record StoredResponse(long Id, string Handle)
{
    /// <summary>The handle's value, which orders the response in each rater's queue (<see cref="QueueOrder"/>).</summary>
    public ulong HandleValue { get; } = ResponseHandle.Value(Handle);

    /// <summary>The database ids of its case's checklist by criterion id; null when the case has none.</summary>
    public IReadOnlyDictionary<string, long>? Checklist { get; init; }
}

/// <summary>An imported rater's assignment of a response, completed by the import.</summary>
readonly record struct ImportedAssignment(long ResponseId, long RaterId, long QueuePosition);

/// <summary>Writes an import's ratings (marks of a case's checklist among them) as submitted, batch by batch in file order (while ratings.csv is still being
/// read, for a new database file), and collects the assignments they imply. A rating keeps the bundle's first_submitted
/// and last_changed; without them it is stamped with the import's time. No history line is written: an imported
/// rating's first line (source "import", at the import's time, studies.created_at) is written by the first change of
/// the rating, before the change's own (<see cref="Grading.RatingHistory"/>), and the exports show it for ratings never
/// changed (docs/grading.md, "Rating history"). Ratings that report severe possible harm (<c>safetyValues</c>) alert
/// the coordinator like ratings submitted on the web, marked imported (listed as such, never announced live).</summary>
sealed class ImportedRatingWriter(DbConnection connection, long studyId, Dictionary<string, long> criterionIds,
    Dictionary<string, StoredResponse> responses, HashSet<(long CriterionId, string Value)> safetyValues, string importedAt) : IDisposable
{
    readonly Dictionary<long, ulong> _seeds = [];
    // A file lists a rater's values of a response together: the last pair is looked at before the set.
    readonly HashSet<(long Response, long Rater)> _assigned = [];
    (long Response, long Rater) _lastPair = (-1, -1);
    string? _lastResponseId, _lastRaterName;
    StoredResponse? _lastResponse;
    long _lastRater;
    readonly Dictionary<DateTimeOffset, string> _stamps = [];
    readonly DateTimeOffset _importedAt = DateTimeOffset.Parse(importedAt, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    // SQLite only: PostgreSQL takes the ratings by COPY.
    readonly RawInsert? _insertRating = connection is SqliteConnection sqlite ? new RawInsert(sqlite, """
        INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
        VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?6, ?7)
        """) : null;
    readonly RowInsert? _raiseAlert = safetyValues.Count == 0 ? null : RowInsert.Prepare(connection, """
        INSERT INTO safety_alerts (study_id, response_id, rater_id, criterion_id, value, raised_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'import')
        """);

    /// <summary>The assignments of the ratings written, in the order of their first rating.</summary>
    public List<ImportedAssignment> Assignments { get; } = [];

    public long Written { get; private set; }

    /// <summary>Writes a batch of ratings whose raters all have an id in <paramref name="raterIds"/>; false, writing
    /// nothing more, at a rating of a response that was not written (the bundle then has an error).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a loop of many rows: no tiering through OSR
    public bool Write(BundleRating[] ratings, Dictionary<string, long> raterIds)
    {
        if (connection is NpgsqlConnection postgres) return Copy(postgres, ratings, raterIds);
        // Through the sealed SQLite class the binds are direct calls (and inlined): through the base class a 1.6M-rating
        // import was 6% slower.
        var insert = _insertRating!;
        foreach (var rating in ratings)
        {
            if (!Next(rating, raterIds, out var response, out var rater, out var criterion)) return false;
            insert.Bind(1, response.Id).Bind(2, rater).Bind(3, criterion).BindShared(4, rating.Value)
                .Bind(5, rating.Comment).BindShared(6, Stamp(rating.LastChanged)).BindShared(7, Stamp(rating.FirstSubmitted)).Run();
            if (_raiseAlert is not null && safetyValues.Contains((criterion, rating.Value)))
                _raiseAlert.Bind(1, studyId).Bind(2, response.Id).Bind(3, rater).Bind(4, criterion).BindShared(5, rating.Value).BindShared(6, importedAt).Run();
            Written++;
        }
        return true;
    }

    /// <summary>PostgreSQL: the batch in one binary COPY (a statement a row took 190 µs each); the alerts it raises after,
    /// as the connection runs nothing else during a COPY.</summary>
    bool Copy(NpgsqlConnection postgres, BundleRating[] ratings, Dictionary<string, long> raterIds)
    {
        var alerts = new List<(long Response, long Rater, long Criterion, string Value)>();
        var complete = true;
        using (var copy = postgres.BeginBinaryImport(
                   "COPY ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var rating in ratings)
            {
                if (!Next(rating, raterIds, out var response, out var rater, out var criterion))
                {
                    complete = false;
                    break;
                }
                copy.StartRow();
                copy.Write(response.Id, NpgsqlDbType.Bigint);
                copy.Write(rater, NpgsqlDbType.Bigint);
                copy.Write(criterion, NpgsqlDbType.Bigint);
                copy.Write(rating.Value, NpgsqlDbType.Text);
                if (rating.Comment is null) copy.WriteNull(); else copy.Write(rating.Comment, NpgsqlDbType.Text);
                copy.Write("submitted", NpgsqlDbType.Text);
                copy.Write(Database.ToStoredPrecision(rating.LastChanged ?? _importedAt), NpgsqlDbType.TimestampTz);
                copy.Write(Database.ToStoredPrecision(rating.FirstSubmitted ?? _importedAt), NpgsqlDbType.TimestampTz);
                if (_raiseAlert is not null && safetyValues.Contains((criterion, rating.Value))) alerts.Add((response.Id, rater, criterion, rating.Value));
                Written++;
            }
            // The rows before a refused one are written too: the import's transaction is rolled back anyway.
            copy.Complete();
        }
        foreach (var (response, rater, criterion, value) in alerts)
            _raiseAlert!.Bind(1, studyId).Bind(2, response).Bind(3, rater).Bind(4, criterion).BindShared(5, value).BindShared(6, importedAt).Run();
        return complete;
    }

    /// <summary>The rating's response, rater and criterion ids, noting the assignment it implies; false for a response
    /// that was not written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool Next(BundleRating rating, Dictionary<string, long> raterIds, out StoredResponse response, out long rater, out long criterion)
    {
        // The reader keeps one string per distinct text, and a file lists a response's ratings together: a text the
        // same as the row before's is looked up once.
        if (!ReferenceEquals(rating.ResponseId, _lastResponseId))
        {
            if (!responses.TryGetValue(rating.ResponseId, out _lastResponse))
            {
                (response, rater, criterion) = (null!, 0, 0);
                return false;
            }
            _lastResponseId = rating.ResponseId;
        }
        if (!ReferenceEquals(rating.Rater, _lastRaterName)) (_lastRaterName, _lastRater) = (rating.Rater, raterIds[rating.Rater]);
        (response, rater) = (_lastResponse!, _lastRater);
        if (_lastPair != (response.Id, rater) && _assigned.Add(_lastPair = (response.Id, rater)))
            Assignments.Add(new ImportedAssignment(response.Id, rater, QueueOrder.Position(Seed(rater), response.HandleValue)));
        // A mark names a criterion of the response's case, looked up there first (its ids are never the rubric's).
        criterion = response.Checklist is { } checklist && checklist.TryGetValue(rating.CriterionId, out var mark) ? mark : criterionIds[rating.CriterionId];
        return true;
    }

    ulong Seed(long rater) => _seeds.TryGetValue(rater, out var seed) ? seed : _seeds[rater] = QueueOrder.Seed(studyId, rater);

    string Stamp(DateTimeOffset? at) => at is not { } value ? importedAt
        : _stamps.TryGetValue(value, out var text) ? text : _stamps[value] = Database.StoredTimestamp(value);

    /// <summary>Whether each of the <paramref name="responses"/> written has at least <paramref name="raters"/> raters'
    /// assignments. When that is every pilot rater, or raters_per_response of them, planning could add none: a new study's
    /// raters are its pilot raters.</summary>
    public bool CoverEveryResponse(int responses, int raters)
    {
        var counts = new Dictionary<long, int>(responses);
        foreach (var assignment in Assignments) counts[assignment.ResponseId] = counts.GetValueOrDefault(assignment.ResponseId) + 1;
        return counts.Count == responses && counts.Values.All(n => n >= raters);
    }

    /// <summary>The assignments, completed at the import's time, in queue order (rater, then queue position): the order
    /// of the index that raters' queues are read by.</summary>
    public void InsertAssignments()
    {
        Assignments.Sort(static (a, b) => a.RaterId != b.RaterId ? a.RaterId.CompareTo(b.RaterId) : a.QueuePosition.CompareTo(b.QueuePosition));
        if (connection is NpgsqlConnection postgres)
        {
            using var copy = postgres.BeginBinaryImport(
                "COPY assignments (study_id, response_id, rater_id, queue_position, assigned_at, completed_at) FROM STDIN (FORMAT BINARY)");
            var at = Database.ToStoredPrecision(_importedAt);
            foreach (var assignment in Assignments)
            {
                copy.StartRow();
                copy.Write(studyId, NpgsqlDbType.Bigint);
                copy.Write(assignment.ResponseId, NpgsqlDbType.Bigint);
                copy.Write(assignment.RaterId, NpgsqlDbType.Bigint);
                copy.Write(assignment.QueuePosition, NpgsqlDbType.Bigint);
                copy.Write(at, NpgsqlDbType.TimestampTz);
                copy.Write(at, NpgsqlDbType.TimestampTz);
            }
            copy.Complete();
            return;
        }
        using var insertAssignment = RowInsert.Prepare(connection, """
            INSERT INTO assignments (study_id, response_id, rater_id, queue_position, assigned_at, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
            """);
        foreach (var assignment in Assignments)
            insertAssignment.Bind(1, studyId).Bind(2, assignment.ResponseId).Bind(3, assignment.RaterId).Bind(4, assignment.QueuePosition)
                .BindShared(5, importedAt).Run();
    }

    public void Dispose()
    {
        _insertRating?.Dispose();
        _raiseAlert?.Dispose();
    }
}
