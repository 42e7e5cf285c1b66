using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;

namespace GradeBench.Web.Tests.Features.Export;

/// <summary>A note-only study's exports (<see cref="DemoAnnotation"/>): the notes' formats, ratings and history with their
/// headers, the agreement on the notes' passages, the bundle; kinds about answers (agreement, judges, the report) are not
/// offered.</summary>
public sealed class AnnotationExportApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task TheNotesExportsAreOfferedAndTheAnswersOnesAreNot()
    {
        var study = await factory.ImportAnnotationCopyAsync();
        var admin = await factory.SignedInAdministratorAsync();

        var links = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/studies/{study}/downloads"))
            .QuerySelectorAll("a[download]").Select(a => a.TextContent.Trim()).Where(t => !t.EndsWith("for Excel")).ToList();
        var agreement = await admin.GetAsync($"/api/studies/{study}/export/agreement.csv");

        Assert.Equal([
            "Download ratings.csv", "Download note-spans.csv", "Download span-links.csv", "Download gold-spans.csv", "Download history.csv",
            "Download flags.csv", "Download safety-alerts.csv", "Download span-agreement.csv", "Download notes-brat.zip", "Download notes-bioc.json", "Download bundle.zip",
        ], links);
        Assert.Equal(HttpStatusCode.NotFound, agreement.StatusCode);
        Assert.StartsWith("There is no export \"agreement.csv\" of this study: it is for studies with answers. Exports: ratings.csv,",
            (await agreement.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        foreach (var kind in new[] { "note-spans.csv", "span-links.csv", "gold-spans.csv", "history.csv", "ratings.csv", "span-agreement.csv", "notes-brat.zip", "notes-bioc.json", "bundle.zip" })
            Assert.True((await admin.GetAsync($"/api/studies/{study}/export/{kind}")).IsSuccessStatusCode, kind);
        // Only the notes' rows: the study has no answers to highlight.
        var spanAgreement = (await admin.GetStringAsync($"/api/studies/{study}/export/span-agreement.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("source,", spanAgreement[0]);
        Assert.All(spanAgreement.Skip(1), row => Assert.StartsWith("note,", row));
        Assert.Contains(spanAgreement, row => row.StartsWith("note,overall,", StringComparison.Ordinal));
    }
}
