using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Storage.Agreement;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace GradeBench.Web.Tests.Features.Dashboard;

public sealed class AgreementMonitorTests : IAsyncLifetime
{
    TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    /// <summary>The dashboard must show what <c>gradebench agreement</c> prints for the same ratings: the stored
    /// ratings of each criterion go through the CLI's own path (a unit,rater,value file with the criterion's scale
    /// as --categories, read by <see cref="RatingsCsv"/>, then <see cref="AgreementAnalysis.Run"/>).</summary>
    [Fact]
    public async Task TheDashboardAlphaOfEveryDemoCriterionIsWhatTheCliReportsForItsRatings()
    {
        var studyId = (await new StudyImporter(_db.Database, _db.Clock).ImportAsync(TestPaths.DemoBundle)).StudyId!.Value;
        var criteria = await new RubricQuery(_db.Database).LoadAsync(studyId);
        var submitted = await new AgreementQuery(_db.Database).SubmittedAsync(studyId);
        // What the monitor reads: the same ratings as flat columns.
        var columns = await new AgreementQuery(_db.Database).SubmittedColumnsAsync(studyId, criteria.Select(c => c.Id).ToHashSet());
        // The dashboard numbers units as ratings.csv lists them, by bundle id; the database's ids are drawn at random.
        await using var connection = await _db.Database.OpenAsync();
        var unitOrder = (await connection.QueryAsync<long>("SELECT id FROM responses WHERE study_id = @StudyId ORDER BY slug", new { StudyId = studyId }))
            .Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);

        var compared = 0;
        foreach (var (id, criterion) in criteria)
        {
            if (CriterionRatings.Level(criterion) is not { } level) continue;
            var stored = submitted[id].ToList();
            var dashboard = AgreementMonitor.Alpha(criterion, stored, unitOrder);
            Assert.Equal(dashboard, AgreementMonitor.Alpha(criterion, columns[id]));

            var csv = new StringBuilder("unit,rater,value\n");
            foreach (var rating in stored.OrderBy(r => unitOrder[r.ResponseId]).ThenBy(r => r.RaterId))
                csv.Append($"{rating.ResponseId},{rating.RaterId},{rating.Value}\n");
            var matrix = RatingsCsv.Read(new StringReader(csv.ToString()), level, CriterionRatings.Categories(criterion, stored.Select(r => r.Value)));
            var report = AgreementAnalysis.Run(matrix, level);
            var cli = report[$"krippendorff_alpha_{dashboard.Level}"]!;

            Assert.Equal(level.ToString().ToLowerInvariant(), dashboard.Level);
            Assert.NotNull(dashboard.Alpha);
            Assert.Equal(cli.Value, dashboard.Alpha);
            Assert.Equal(cli.Ci95?.Lower, dashboard.Lower);
            Assert.Equal(cli.Ci95?.Upper, dashboard.Upper);
            Assert.Equal(report.Units - report.UnitsLeftOut, dashboard.Units);
            Assert.Equal(report.Raters, dashboard.Raters);
            compared++;
        }
        Assert.Equal(8, compared);

        // What the monitor computes: every criterion at once, with shared draws, each as it is alone.
        var rated = criteria.Where(c => CriterionRatings.Level(c.Criterion) is not null)
            .Select(c => (c.Criterion, columns.GetValueOrDefault(c.Id) ?? new CriterionSubmissions())).ToList();
        Assert.Equal(rated.Select(c => AgreementMonitor.Alpha(c.Criterion, c.Item2)), AgreementMonitor.Alphas(rated));
    }

    [Fact]
    public void ACriterionWithoutSubmittedRatingsHasNoAlphaAndSaysWhy()
    {
        var criterion = Core.Studies.BundleReader.Read(TestPaths.DemoBundle).Bundle!.Study.Criteria.First(c => c.Id == "harm_extent");

        var alpha = AgreementMonitor.Alpha(criterion, []);

        Assert.Null(alpha.Alpha);
        Assert.Equal(0, alpha.Units);
        Assert.Equal("ordinal", alpha.Level);
        Assert.NotNull(alpha.Reason);
    }

    /// <summary>The hub's clients are programs: they get the reason as English text, as before it was a message.</summary>
    [Fact]
    public void TheHubSendsTheReasonAsEnglishText()
    {
        var criterion = Core.Studies.BundleReader.Read(TestPaths.DemoBundle).Bundle!.Study.Criteria.First(c => c.Id == "harm_extent");
        var update = new AgreementUpdated(1, [AgreementMonitor.Alpha(criterion, [])], DateTimeOffset.UnixEpoch);
        var sent = new ArrayBufferWriter<byte>();

        new JsonHubProtocol().WriteMessage(new InvocationMessage(nameof(IStudyClient.AgreementUpdated), [update]), sent);

        using var json = JsonDocument.Parse(sent.WrittenMemory[..^1]); // less the record separator
        var alpha = json.RootElement.GetProperty("arguments")[0].GetProperty("criteria")[0];
        Assert.Equal("no submitted ratings yet", alpha.GetProperty("reason").GetString());
        Assert.False(alpha.TryGetProperty("reasonInEnglish", out _));
    }
}
