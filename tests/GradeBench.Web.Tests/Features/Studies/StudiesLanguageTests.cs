using System.Globalization;
using System.IO.Compression;
using AngleSharp.Html.Parser;
using Bunit;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Hosting;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Studies;

/// <summary>The studies pages and the review page in the pseudo-locale (docs/localization.md): no interface text that
/// did not come through a localizer; study content carries its own lang, names translate="no". And one page in Chinese.</summary>
public sealed class StudiesLanguageTests : IDisposable
{
    readonly GradeBenchFactory _app = new() { Languages = [Languages.English, Languages.Pseudo] };

    public void Dispose() => _app.Dispose();

    HttpClient Pseudo(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("Accept-Language", Languages.Pseudo);
        return client;
    }

    /// <summary>The shared MarkdownEditor's own words, which its owner translates (issue 18): not this feature's text.</summary>
    static readonly string[] MarkdownEditorWords = ["Write", "Preview", "(Markdown)"];

    static void AssertAllMarked(string html, string page)
    {
        // A served page: its title and its main part (the layout around it is the shared components' to check).
        var document = new HtmlParser().ParseDocument(html);
        if (document.QuerySelector("main") is { } main)
            html = $"<html><head>{document.QuerySelector("title")?.OuterHtml}</head><body>{main.OuterHtml}</body></html>";
        Assert.True(new HtmlParser().ParseDocument(html).Body!.TextContent.Contains(Languages.PseudoStart, StringComparison.Ordinal), $"{page}: nothing localized");
        var unmarked = PseudoLocaleText.Unmarked(html, MarkdownEditorWords);
        Assert.True(unmarked.Count == 0, $"{page}: {string.Join(Environment.NewLine, unmarked)}");
    }

    [Fact]
    public async Task TheHomeNewStudySetUpAndReviewPagesAsServedHaveNoUnmarkedText()
    {
        var studyId = await _app.ImportDemoCopyAsync();
        var admin = Pseudo(await _app.SignedInAdministratorAsync());
        var coordinator = Pseudo(await _app.SignedInMemberAsync(studyId, "dr-lang-lead", "coordinator"));
        var raterUser = await _app.MemberAsync(studyId, "dr-lang-rater", withPassword: true);
        var rater = Pseudo(await _app.SignedInClientAsync(raterUser));
        var responseId = (await _app.Services.GetRequiredService<GradingStore>().QueueAsync(studyId, raterUser.Id))[0].ResponseId;

        AssertAllMarked(await admin.GetStringAsync("/"), "home, administrator");
        AssertAllMarked(await coordinator.GetStringAsync("/"), "home, coordinator");
        AssertAllMarked(await rater.GetStringAsync("/"), "home, rater");
        AssertAllMarked(await rater.GetStringAsync($"/studies/{studyId}/setup"), "set-up, refused rater");
        AssertAllMarked(await rater.GetStringAsync("/studies/new"), "new study, refused rater");
        AssertAllMarked(await admin.GetStringAsync("/studies/new"), "new study, administrator");
        AssertAllMarked(await coordinator.GetStringAsync($"/studies/{studyId}/setup"), "set-up, coordinator");
        AssertAllMarked(await coordinator.GetStringAsync($"/studies/{studyId}/review/{responseId}"), "review, coordinator");
        AssertAllMarked(await rater.GetStringAsync($"/studies/{studyId}/review/{responseId}"), "review, refused rater");
    }

    /// <summary>Served pages show only their first state (the new-study and set-up pages wait for the circuit): these
    /// render interactive, as a coordinator of a draft study, so that the upload form and the rubric editor show.</summary>
    [Fact]
    public async Task TheInteractiveNewStudyAndSetUpPagesOfADraftHaveNoUnmarkedText()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "draft-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await _app.Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [], state: StudyState.Draft)).StudyId!.Value;
        var coordinator = await _app.MemberAsync(studyId, "dr-lang-draft", "coordinator");
        await _app.Services.GetRequiredService<GradeBench.Storage.Judges.JudgeStore>().AddAsync(studyId,
            new GradeBench.Storage.Judges.NewJudge("gpt-judge", "gpt-4o", "2024-08-06", "Rate as a neurologist.", 0.2));
        await _app.Services.GetRequiredService<GradeBench.Storage.Judges.JudgeStore>().AddAsync(studyId,
            new GradeBench.Storage.Judges.NewJudge("bare", "claude-3-5-sonnet"), ["case-001.model-a"]);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(Languages.Pseudo);
        try
        {
            using var context = new CoordinatorPageContext(_app.Services, coordinator.Id);
            var create = context.Render<NewStudyPage>();
            create.WaitForAssertion(() => Assert.Contains("bundle-file", create.Markup));
            AssertAllMarked(create.Markup, "new study, interactive");

            var setup = context.Render<StudySetupPage>(parameters => parameters.Add(p => p.StudyId, studyId));
            setup.WaitForAssertion(() => Assert.Contains("criterion-1-label", setup.Markup), TimeSpan.FromSeconds(10));
            setup.WaitForAssertion(() => Assert.Contains("invites-heading", setup.Markup), TimeSpan.FromSeconds(10));
            Assert.Contains("gpt-judge", setup.Markup);
            AssertAllMarked(setup.Markup, "set-up of a draft, interactive");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task TheHomePageInChineseNamesItsStudies()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var studyId = await bilingual.ImportDemoCopyAsync();
        var client = await bilingual.SignedInMemberAsync(studyId, "dr-zh", "coordinator");
        client.DefaultRequestHeaders.Add("Accept-Language", Languages.Chinese);

        var home = new HtmlParser().ParseDocument(await client.GetStringAsync("/"));

        Assert.Equal("研究", home.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("病例", home.QuerySelectorAll("dt").Select(dt => dt.TextContent));
        Assert.Contains("仪表盘", home.QuerySelectorAll("a").Select(a => a.TextContent.Trim()));
    }

    /// <summary>A bundle's errors are in the reader's language; their place (file:line: field:) stays as the bundle
    /// names it, marked as not to be translated.</summary>
    [Fact]
    public async Task ABundlesErrorsAreInTheReadersLanguageAndKeepTheirPlace()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var chinese = await UploadedBundleErrorsAsync(bilingual, Languages.Chinese);
        Assert.Equal(["cases.jsonl:2: id: 必须是 1～64 个字符的标识符，只能使用 [A-Za-z0-9._-] 中的字符"], chinese.Lines);

        var pseudo = await UploadedBundleErrorsAsync(_app, Languages.Pseudo);
        Assert.Equal([$"cases.jsonl:2: id: {Languages.PseudoStart}must be an identifier of 1-64 characters from [A-Za-z0-9._-]{Languages.PseudoEnd}"], pseudo.Lines);
        AssertAllMarked(pseudo.Markup, "new study, bundle errors");
    }

    /// <summary>The new-study page's error list, as items' text, after an upload whose cases.jsonl has a bad id on line 2.</summary>
    static async Task<(IReadOnlyList<string> Lines, string Markup)> UploadedBundleErrorsAsync(GradeBenchFactory app, string language)
    {
        var studyId = await app.ImportDemoCopyAsync();
        var coordinator = await app.MemberAsync(studyId, "dr-errors-" + Guid.NewGuid().ToString("N")[..8], "coordinator");
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(language);
        try
        {
            using var context = new CoordinatorPageContext(app.Services, coordinator.Id);
            var page = context.Render<NewStudyPage>();
            page.WaitForAssertion(() => Assert.Contains("bundle-file", page.Markup));
            page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(BundleWithABadCaseId(), "errors.zip"));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".import-errors li")), TimeSpan.FromSeconds(10));
            return ([.. page.FindAll(".import-errors li").Select(li => li.TextContent)], page.Markup);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    static byte[] BundleWithABadCaseId()
    {
        var files = new Dictionary<string, string>
        {
            ["study.json"] = $$$"""
                {"format": "gradebench-study/1", "id": "errors-{{{Guid.NewGuid():N}}}", "title": "Errors",
                 "rubric": {"criteria": [{"id": "overall", "label": "Overall", "type": "likert", "min": 1, "max": 5}]}}
                """,
            ["cases.jsonl"] = """
                {"id": "case-1", "title": "One", "presentation_md": "A case.", "question_md": "What next?"}
                {"id": "case two", "title": "Two", "presentation_md": "A case.", "question_md": "What next?"}
                """,
            ["responses.jsonl"] = """{"id": "r-1", "case_id": "case-1", "model": "model-a", "content_md": "An answer."}""",
        };
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        return buffer.ToArray();
    }

}
