using System.Globalization;
using Bunit;
using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The note annotation panel live (bUnit, on the app's own database and stores): a rater marks a passage of the
/// case's clinical note, sets its attributes and links it to a highlight of the answer.</summary>
public sealed class NoteAnnotationPanelTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    // The note starts with a character outside the Basic Multilingual Plane: code points and UTF-16 units differ after it.
    const string Note = "🩺 NIHSS 4 on arrival. NIHSS 4 again at 24 h.";

    IServiceProvider App => factory.Services;

    sealed record Scene(long StudyId, long RaterId, long ResponseId, long CaseId);

    async Task<Scene> SceneAsync()
    {
        using var folder = new TempFolder();
        var bundle = BundleReader.Read(DemoNotes.Write(Path.Combine(folder.Path, "bundle"))).Bundle!;
        bundle = bundle with { Study = bundle.Study with { Id = "notes-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await App.GetRequiredService<StudyImporter>().ImportAsync(bundle, [])).StudyId!.Value;
        var rater = await factory.MemberAsync(studyId, "dr-notes");
        var responseId = (await App.GetRequiredService<GradingStore>().PositionAsync(studyId, rater.Id, null)).Current!.Value;
        await using var connection = await App.GetRequiredService<Database>().OpenAsync();
        var caseId = await connection.ExecuteScalarAsync<long>("SELECT case_id FROM responses WHERE id = @responseId", new { responseId });
        await connection.ExecuteAsync("UPDATE cases SET presentation_md = @Note WHERE id = @caseId", new { Note, caseId });
        return new Scene(studyId, rater.Id, responseId, caseId);
    }

    BunitContext Context()
    {
        var context = new BunitContext();
        context.Services.AddLocalization();
        context.Services.AddSingleton(App.GetRequiredService<IStringLocalizerFactory>());
        context.Services.AddSingleton(App.GetRequiredService<NoteSpanStore>());
        context.Services.AddSingleton(App.GetRequiredService<SpanStore>());
        context.Services.AddSingleton(App.GetRequiredService<StudyEvents>());
        context.Services.AddSingleton(App.GetRequiredService<TimeProvider>());
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    static IRenderedComponent<NoteAnnotationPanel> Render(BunitContext context, Scene scene, IJSObjectReference? module) =>
        context.Render<NoteAnnotationPanel>(p => p.Add(c => c.StudyId, scene.StudyId).Add(c => c.RaterId, scene.RaterId)
            .Add(c => c.CaseId, scene.CaseId).Add(c => c.NoteMd, Note).Add(c => c.Language, "en")
            .Add(c => c.Answers, [new NoteAnnotationPanel.Answer(scene.ResponseId, null)])
            .Add(c => c.NoteElementId, "case-note").Add(c => c.Module, module).Add(c => c.Lang, "en"));

    [Fact]
    public async Task APassageSelectedInTheNoteIsStoredInCodePointsWithItsLabelAndAttributes()
    {
        var scene = await SceneAsync();
        await using var context = Context();
        var grading = context.JSInterop.SetupModule("/js/grading.js");
        // The second "NIHSS 4": code points 22 to 29, UTF-16 units 23 to 30 (the stethoscope is one code point, two units).
        grading.Setup<NoteAnnotationPanel.SelectionInfo?>("takeSelection", "case-note").SetResult(new("NIHSS 4", 1));
        var module = await context.JSInterop.JSRuntime.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        var cut = Render(context, scene, module);

        cut.FindAll("button.note-label-button")[0].Click();

        cut.WaitForAssertion(() => Assert.Equal("NIHSS 4", cut.Find("ul.note-span-list q").TextContent));
        var notes = App.GetRequiredService<NoteSpanStore>();
        var span = Assert.Single(await notes.ListAsync(scene.RaterId, scene.CaseId));
        Assert.Equal((22, 29, "NIHSS 4"), (span.Start, span.End, span.Quote));

        // The NIHSS label's attributes: a flag (negated) and a number (score).
        cut.Find("ul.note-span-list input[type=checkbox]").Change(true);
        cut.WaitForAssertion(() => Assert.Single(notes.ListAsync(scene.RaterId, scene.CaseId).Result[0].Attributes));
        cut.Find("ul.note-span-list input[type=number]").Change("4");
        cut.WaitForAssertion(() => Assert.Equal(["true", "4"], notes.ListAsync(scene.RaterId, scene.CaseId).Result[0].Attributes.OrderBy(a => a.Key).Select(a => a.Value)));
        cut.Find("ul.note-span-list input[type=number]").Change("four");
        cut.WaitForAssertion(() => Assert.Contains("must be a number", cut.Find("p.save-state").TextContent));
        Assert.Equal("4", (await notes.ListAsync(scene.RaterId, scene.CaseId))[0].Attributes.Values.Last());
    }

    [Fact]
    public async Task APassageIsLinkedAsEvidenceForAHighlightOfTheAnswerAndUnlinked()
    {
        var scene = await SceneAsync();
        var notes = App.GetRequiredService<NoteSpanStore>();
        var spans = App.GetRequiredService<SpanStore>();
        var nihss = (await notes.LabelsAsync(scene.StudyId))[0];
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(scene.RaterId, scene.CaseId, nihss.Id, 2, 9, null, null)).Outcome);
        Assert.Equal(SpanWriteOutcome.Saved, await spans.AddAsync(scene.StudyId, scene.RaterId, scene.ResponseId, (await spans.LabelsAsync(scene.StudyId))[0].Id, 0, 5, null));
        var answerSpan = Assert.Single(await spans.ListAsync(scene.StudyId, scene.RaterId, scene.ResponseId));
        await using var context = Context();
        var cut = Render(context, scene, null);

        cut.Find("div.note-links select").Change(answerSpan.Id.ToString(CultureInfo.InvariantCulture));

        // Shown as read: an answer that opens with bold text has "**" in its quote, not on the page.
        cut.WaitForAssertion(() => Assert.Contains(Quotes.Short(answerSpan.Quote), cut.Find("span.note-link q").TextContent));
        Assert.Equal([answerSpan.Id], (await notes.ListAsync(scene.RaterId, scene.CaseId))[0].LinkedAnswerSpans);
        cut.Find("button.note-unlink").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("span.note-link")));
        Assert.Empty((await notes.ListAsync(scene.RaterId, scene.CaseId))[0].LinkedAnswerSpans);
    }

    [Fact]
    public async Task LabelsAndAttributesAreShownInTheReadersLanguageWhereTheStudyGivesThem()
    {
        var scene = await SceneAsync();
        var notes = App.GetRequiredService<NoteSpanStore>();
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(scene.RaterId, scene.CaseId, (await notes.LabelsAsync(scene.StudyId))[0].Id, 2, 9, null, null)).Outcome);
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        try
        {
            await using var context = Context();
            var cut = Render(context, scene, null);

            cut.WaitForAssertion(() => Assert.Equal("NIHSS 条目", cut.FindAll("button.note-label-button")[0].TextContent));
            Assert.Equal("zh-CN", cut.FindAll("button.note-label-button")[0].GetAttribute("lang"));
            // "Symptom" has no Chinese: it stays in the study's language, marked so.
            Assert.Equal(("Symptom", "en"), (cut.FindAll("button.note-label-button")[1].TextContent, cut.FindAll("button.note-label-button")[1].GetAttribute("lang")));
            Assert.Contains("否定", cut.Find("div.note-attributes").TextContent);
            Assert.Equal("临床病历标注", cut.Find("section.note-spans").GetAttribute("aria-label"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary>Marking a passage announces a change of spans: the agreement on the notes is due again.</summary>
    [Fact]
    public async Task MarkingAPassageAnnouncesAChangeOfSpans()
    {
        var scene = await SceneAsync();
        var announced = new List<SpansChanged>();
        using var listening = App.GetRequiredService<StudyEvents>().Subscribe(scene.StudyId, 0, isCoordinator: true, e =>
        {
            if (e is SpansChanged changed) lock (announced) announced.Add(changed);
            return Task.CompletedTask;
        });
        await using var context = Context();
        var grading = context.JSInterop.SetupModule("/js/grading.js");
        grading.Setup<NoteAnnotationPanel.SelectionInfo?>("takeSelection", "case-note").SetResult(new("NIHSS 4", 0));
        var module = await context.JSInterop.JSRuntime.InvokeAsync<IJSObjectReference>("import", "/js/grading.js");
        var cut = Render(context, scene, module);

        cut.FindAll("button.note-label-button")[0].Click();

        cut.WaitForAssertion(() => Assert.Equal("NIHSS 4", cut.Find("ul.note-span-list q").TextContent));
        Assert.True(SpinWait.SpinUntil(() => { lock (announced) return announced.Count == 1; }, TimeSpan.FromSeconds(5)));
        Assert.Equal((scene.RaterId, GradeBench.Core.Spans.SpanSource.Note), (announced[0].RaterId, announced[0].Source));
    }
}
