using Bunit;
using GradeBench.Core.Reports;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Results;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Tests.Features.Adjudication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The dashboard's live agreement on highlights, rendered by bUnit over a real app: computed in the background
/// by the app's own <see cref="SpanAgreementMonitor"/> and replaced when raters submit.</summary>
public sealed class SpanAgreementPanelTests : LiveAdjudicationContext, IClassFixture<GradeBenchFactory>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public SpanAgreementPanelTests(GradeBenchFactory factory) : base(factory) =>
        UseAppServices(typeof(SpanAgreementMonitor), typeof(SpanAgreementQuery), typeof(IStringLocalizer<DashboardText>));

    IRenderedComponent<SpanAgreementPanel> RenderPanel(long studyId) => Render<SpanAgreementPanel>(p => p.Add(c => c.StudyId, studyId));

    /// <summary>The value and interval cells of the row headed <paramref name="figure"/>.</summary>
    static string[] Row(IRenderedComponent<SpanAgreementPanel> panel, string figure) =>
        [.. panel.FindAll("#dashboard-span-agreement tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim() == figure)
            .QuerySelectorAll("td").Select(c => c.TextContent.Trim())];

    /// <summary>The demo's pilot raters highlighted nothing: no F1, and why. Two new raters highlight overlapping passages
    /// of one answer and submit it: the figures change by themselves, to the results page's numbers.</summary>
    [Fact]
    public async Task TheFiguresAppearAndFollowTwoRatersWhoSubmitOverlappingHighlights()
    {
        var studyId = await Factory.ImportDemoCopyAsync();
        var a = (await Factory.MemberAsync(studyId, "span-a")).Id;
        var b = (await Factory.MemberAsync(studyId, "span-b")).Id;
        var grading = App.GetRequiredService<GradingStore>();
        var response = (await grading.QueueAsync(studyId, a)).Select(q => q.ResponseId)
            .Intersect((await grading.QueueAsync(studyId, b)).Select(q => q.ResponseId)).First();
        SignInAs(await AdministratorIdAsync(), "admin");

        var panel = RenderPanel(studyId);

        Assert.Equal("Agreement on highlighted spans", panel.Find("h2").TextContent);
        panel.WaitForAssertion(() => Assert.Equal("false", panel.Find("section").GetAttribute("aria-busy")), Patience);
        Assert.Equal(["—", "the raters who read a document together marked no span in it, so F1 has no denominator"], Row(panel, "Pairwise F1, overlap matching"));

        var spans = App.GetRequiredService<SpanStore>();
        var label = (await spans.LabelsAsync(studyId))[0].Id;
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, a, response, label, 0, 20, null));
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(studyId, b, response, label, 5, 25, null));
        var recorder = App.GetRequiredService<RatingRecorder>();
        foreach (var rater in new[] { a, b })
            Assert.Equal(RatingWriteOutcome.Saved, (await recorder.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit: true)).Outcome);

        // One overlap match of two highlights.
        panel.WaitForAssertion(() => Assert.StartsWith("1.000", Row(panel, "Pairwise F1, overlap matching")[0]), Patience);
        var expected = (await App.GetRequiredService<SpanAgreementQuery>().ComputeAsync(studyId))!.Report;
        Assert.Equal(ReportNumbers.Coefficient(expected.Overall.AlphaU.Value!.Value), Row(panel, "Krippendorff's α_u")[0]);
        Assert.Contains($"Over the {expected.PairedDocuments} responses submitted by two or more raters ({expected.Raters} raters, 2 highlights)", panel.Markup);
    }

    [Fact]
    public async Task AStudyWithoutSpanLabelsShowsNothing()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "no-spans-" + Guid.NewGuid().ToString("N"), SpanLabels = [] } };
        var studyId = (await App.GetRequiredService<GradeBench.Storage.Studies.StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;
        SignInAs(await AdministratorIdAsync(), "admin");

        var panel = RenderPanel(studyId);

        Assert.Empty(panel.Markup.Trim());
    }

    [Fact]
    public async Task ARaterIsShownNothing()
    {
        var studyId = await Factory.ImportDemoCopyAsync();
        var rater = await Factory.MemberAsync(studyId, "span-peek");
        SignInAs(rater.Id, rater.Username);

        var panel = RenderPanel(studyId);

        Assert.Empty(panel.Markup.Trim());
    }

    /// <summary>The note passages' panel: two new raters mark overlapping passages of one case's note and submit an answer
    /// to it; then one of them removes hers after the submit, and the figures follow the change (<see cref="SpansChanged"/>)
    /// without another submit.</summary>
    [Fact]
    public async Task TheNotePanelFollowsPassagesMarkedAndRemovedAfterTheSubmit()
    {
        using var folder = new TempFolder();
        var bundle = BundleReader.Read(DemoNotes.Write(Path.Combine(folder.Path, "bundle"))).Bundle!;
        var studyId = (await App.GetRequiredService<GradeBench.Storage.Studies.StudyImporter>().ImportAsync(
            bundle with { Study = bundle.Study with { Id = "notes-" + Guid.NewGuid().ToString("N") } }, [])).StudyId!.Value;
        var a = (await Factory.MemberAsync(studyId, "note-a")).Id;
        var b = (await Factory.MemberAsync(studyId, "note-b")).Id;
        var grading = App.GetRequiredService<GradingStore>();
        var response = (await grading.QueueAsync(studyId, a)).Select(q => q.ResponseId)
            .Intersect((await grading.QueueAsync(studyId, b)).Select(q => q.ResponseId)).First();
        long caseId;
        await using (var connection = await App.GetRequiredService<GradeBench.Storage.Database>().OpenAsync())
            caseId = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT case_id FROM responses WHERE id = @response", new { response });
        SignInAs(await AdministratorIdAsync(), "admin");
        var query = App.GetRequiredService<SpanAgreementQuery>();

        var panel = Render<SpanAgreementPanel>(p => p.Add(c => c.StudyId, studyId).Add(c => c.Source, GradeBench.Core.Spans.SpanSource.Note));
        string[] F1() => [.. panel.FindAll("#dashboard-note-agreement tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim() == "Pairwise F1, overlap matching")
            .QuerySelectorAll("td").Select(c => c.TextContent.Trim())];

        Assert.Equal("Agreement on note passages", panel.Find("h2").TextContent);
        panel.WaitForAssertion(() => Assert.Equal("false", panel.Find("section").GetAttribute("aria-busy")), Patience);
        // The bundle's pilot raters never mark notes: no case is read by two yet.
        Assert.Empty(panel.FindAll("#dashboard-note-agreement"));
        var notes = App.GetRequiredService<GradeBench.Storage.Notes.NoteSpanStore>();
        var labels = await notes.LabelsAsync(studyId);
        var label = labels[0].Id;
        Assert.Equal(GradeBench.Storage.Notes.NoteSpanOutcome.Saved, (await notes.AddAsync(a, caseId, label, 0, 20, null, null)).Outcome);
        var (_, bSpan) = await notes.AddAsync(b, caseId, label, 5, 25, null, null);
        // Another passage of b's, of another label: b stays one who annotates notes, so a reader, once the first is gone.
        Assert.Equal(GradeBench.Storage.Notes.NoteSpanOutcome.Saved, (await notes.AddAsync(b, caseId, labels[1].Id, 30, 35, null, null)).Outcome);
        var recorder = App.GetRequiredService<RatingRecorder>();
        foreach (var rater in new[] { a, b })
            Assert.Equal(RatingWriteOutcome.Saved, (await recorder.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit: true)).Outcome);
        var marked = (await query.ComputeAsync(studyId, GradeBench.Core.Spans.SpanSource.Note))!.Report.Overall.F1Overlap.Value!.Value;
        panel.WaitForAssertion(() => Assert.Equal(ReportNumbers.Coefficient(marked), F1()[0]), Patience);

        Assert.Equal(GradeBench.Storage.Notes.NoteSpanOutcome.Saved, await notes.DeleteAsync(b, bSpan!.Value));
        App.GetRequiredService<StudyEvents>().Publish(new SpansChanged(studyId, b, GradeBench.Core.Spans.SpanSource.Note, DateTimeOffset.UtcNow));

        // a's passage alone: no match.
        panel.WaitForAssertion(() => Assert.Equal("0.000", F1()[0]), Patience);
    }
}
