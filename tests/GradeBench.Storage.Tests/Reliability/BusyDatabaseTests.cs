using System.Globalization;
using GradeBench.Core.Agreement;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Reliability;

[Trait("Provider", "SqliteOnly")]
public sealed class BusyDatabaseTests
{
    /// <summary>Exports and agreement runs read the whole study over and over while a rater submits: in WAL mode readers
    /// never block the writer, so every submit must be saved (no "database is busy", no error of any kind).</summary>
    [Fact]
    public async Task LongExportsAndAgreementRunsNeverMakeASubmitFail()
    {
        await using var db = new TestDatabase();
        await new GradeBench.Storage.Migrations.Migrator(db.Database, db.Clock).MigrateAsync();
        var bundle = SyntheticBundle.Write(Path.Combine(Path.GetTempPath(), "gradebench-busy-" + Guid.NewGuid().ToString("N")), "busy", "Busy study",
            responses: 3_000, ratersPerResponse: 4, ratingRaters: 3);
        long studyId;
        try
        {
            studyId = (await new StudyImporter(db.Database, db.Clock).ImportAsync(bundle, maxFileBytes: 100_000_000)).StudyId!.Value;
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
        var raterId = await db.AddRaterAsync(studyId, "dr-busy");
        var rubric = new RubricQuery(db.Database);
        var grading = new GradingStore(db.Database, rubric, db.Clock);
        var items = await grading.QueueAsync(studyId, raterId);
        Assert.True(items.Count >= 1_000, $"{items.Count} items");

        using var writing = new CancellationTokenSource();
        var reads = new int[3];
        // Each reader on a thread of its own, so that none waits for the thread pool while the writer keeps it busy.
        Task Reader(int reader, Func<Task> read) => Task.Factory.StartNew(() =>
        {
            while (!writing.IsCancellationRequested)
            {
                read().GetAwaiter().GetResult();
                Interlocked.Increment(ref reads[reader]);
            }
        }, TaskCreationOptions.LongRunning);
        var export = new TextExport(db.Database);
        var readers = new[]
        {
            Reader(0, () => export.WriteRatingsAsync(studyId, TextWriter.Null)),
            Reader(1, () => export.WriteHistoryAsync(studyId, TextWriter.Null)),
            Reader(2, async () =>
            {
                var criteria = await rubric.LoadAsync(studyId);
                var ratings = await new AgreementQuery(db.Database).SubmittedAsync(studyId);
                foreach (var (id, criterion) in criteria.Where(c => CriterionRatings.Level(c.Criterion) is not null))
                    AgreementAnalysis.Run(CriterionRatings.Matrix(criterion, ratings[id].ToList()), CriterionRatings.Level(criterion)!.Value, bootstrapResamples: 0);
            }),
        };

        var random = new Random(7);
        var outcomes = new List<RatingWriteOutcome>();
        try
        {
            // Around the queue as often as needed (a changed submitted rating is a submit too), with a cap so a test
            // whose readers never finish fails instead of hanging.
            for (var i = 0; i < 30_000; i++)
            {
                var item = items[i % items.Count];
                var values = SyntheticBundle.RatingValues(random).ToDictionary(v => v.Key,
                    v => (string?)(v.Value is bool b ? (b ? "true" : "false") : Convert.ToString(v.Value, CultureInfo.InvariantCulture)));
                outcomes.Add((await grading.SaveAsync(studyId, raterId, item.ResponseId, values, submit: true)).Outcome);
                // Keep submitting until every reader has finished two whole runs beside the submits.
                if (outcomes.Count >= 50 && Enumerable.Range(0, reads.Length).All(k => Volatile.Read(ref reads[k]) >= 2)) break;
            }
        }
        finally
        {
            await writing.CancelAsync();
            await Task.WhenAll(readers);
        }

        Assert.All(outcomes, outcome => Assert.Equal(RatingWriteOutcome.Saved, outcome));
        Assert.All(reads, runs => Assert.True(runs >= 2, $"a reader ran {runs} times while the rater submitted {outcomes.Count} ratings"));
    }
}
