using Dapper;
using GradeBench.Storage.Export;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Export;

/// <summary>ratings.csv is read on another thread than it is written (RatingRowsReader): a failure on either side ends
/// the export with that failure, never a hang.</summary>
public sealed class RatingsExportTests
{
    sealed class FailingWriter(int allowedWrites) : StringWriter
    {
        int _writes;

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
            ++_writes > allowedWrites ? throw new IOException("disk full") : base.WriteAsync(buffer, cancellationToken);
    }

    static async Task<(TestDatabase Db, long StudyId)> DemoAsync()
    {
        var db = await TestDatabase.CreateAsync();
        var studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        return (db, studyId);
    }

    [Fact]
    public async Task EveryRowIsWrittenOnceInOrder()
    {
        var (db, studyId) = await DemoAsync();
        await using var _ = db;
        var output = new StringWriter();

        var rows = await new TextExport(db.Database).WriteRatingsAsync(studyId, output);

        var lines = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(576, rows);
        Assert.Equal(rows + 1, lines.Length);
        Assert.StartsWith("study,case_id,response_id,model,rater,criterion,value,comment,first_submitted,last_changed", lines[0]);
        var responses = lines.Skip(1).Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(responses.Order(StringComparer.Ordinal), responses);
    }

    /// <summary>PostgreSQL keeps times as timestamps: they are written as SQLite stores them, so that the file is the same
    /// whatever the database.</summary>
    [Fact]
    public async Task TimesAreWrittenAsSqliteStoresThem()
    {
        var (db, studyId) = await DemoAsync();
        await using var _ = db;
        var output = new StringWriter();

        await new TextExport(db.Database).WriteRatingsAsync(studyId, output);

        await using var connection = await db.Database.OpenAsync();
        var stored = (await connection.QueryAsync<(DateTimeOffset Submitted, DateTimeOffset Updated)>(
                "SELECT submitted_at, updated_at FROM ratings WHERE status = 'submitted'"))
            .Select(t => $"{Database.FormatTimestamp(t.Submitted)},{Database.FormatTimestamp(t.Updated)}").Order(StringComparer.Ordinal);
        var written = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => string.Join(',', l.Split(',')[^2..])).Order(StringComparer.Ordinal);
        Assert.Equal(stored, written);
    }

    [Fact]
    public async Task AFailingOutputEndsTheExportWithItsError()
    {
        var (db, studyId) = await DemoAsync();
        await using var _ = db;

        var error = await Assert.ThrowsAsync<IOException>(() => new TextExport(db.Database).WriteRatingsAsync(studyId, new FailingWriter(0)));

        Assert.Equal("disk full", error.Message);
    }

    [Fact]
    public async Task ACancelledExportStops()
    {
        var (db, studyId) = await DemoAsync();
        await using var _ = db;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TextExport(db.Database).WriteRatingsAsync(studyId, new StringWriter(), cancelled.Token));
    }
}
