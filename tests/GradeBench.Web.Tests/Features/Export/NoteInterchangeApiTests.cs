using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Export;

/// <summary>notes-brat.zip and notes-bioc.json are offered by studies with note labels only: in the API and on the
/// downloads page; a study the format cannot carry is refused with the reason before a byte of the file is sent.</summary>
public sealed class NoteInterchangeApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A copy of the demo study with note labels (<see cref="DemoNotes"/>), the first label's id changed by
    /// <paramref name="labelId"/>.</summary>
    async Task<(long Id, string Slug)> ImportWithNoteLabelsAsync(string labelId = "nihss")
    {
        using var folder = new TempFolder();
        var path = DemoNotes.Write(Path.Combine(folder.Path, "bundle"));
        var studyFile = Path.Combine(path, "study.json");
        var study = JsonNode.Parse(File.ReadAllText(studyFile))!;
        study["note_labels"]![0]!["id"] = labelId;
        File.WriteAllText(studyFile, study.ToJsonString());
        var bundle = BundleReader.Read(path).Bundle!;
        var slug = "notes-" + Guid.NewGuid().ToString("N");
        var id = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle with { Study = bundle.Study with { Id = slug } }, [])).StudyId!.Value;
        return (id, slug);
    }

    static List<string> Links(string html) =>
        [.. new HtmlParser().ParseDocument(html).QuerySelectorAll("a[download]").Select(a => a.TextContent.Trim())];

    [Fact]
    public async Task OnlyAStudyWithNoteLabelsOffersTheNoteFormats()
    {
        var plain = await factory.ImportDemoCopyAsync();
        var (notes, slug) = await ImportWithNoteLabelsAsync();
        var admin = await factory.SignedInAdministratorAsync();

        var refused = await admin.GetAsync($"/api/studies/{plain}/export/notes-brat.zip");
        var brat = await admin.GetAsync($"/api/studies/{notes}/export/notes-brat.zip");
        var bioc = await admin.GetAsync($"/api/studies/{notes}/export/notes-bioc.json");
        var plainLinks = Links(await admin.GetStringAsync($"/studies/{plain}/downloads"));
        var page = await admin.GetStringAsync($"/studies/{notes}/downloads");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.StartsWith("There is no export \"notes-brat.zip\" of this study: it is for studies with note labels. Exports: ratings.csv,",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, brat.StatusCode);
        Assert.Equal("application/zip", brat.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{slug}-notes-brat.zip", brat.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using (var zip = new ZipArchive(await brat.Content.ReadAsStreamAsync()))
            Assert.Equal(["annotation.conf"], zip.Entries.Select(e => e.FullName));
        Assert.Equal("application/json", bioc.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{slug}-notes-bioc.json", bioc.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(slug, (await bioc.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString());
        Assert.DoesNotContain("Download notes-brat.zip", plainLinks);
        Assert.Contains("Download notes-brat.zip", Links(page));
        Assert.Contains("Download notes-bioc.json", Links(page));
        Assert.DoesNotContain("Download notes-bioc.json for Excel", Links(page));
        Assert.Contains("a folder per rater, with annotation.conf", page);
    }

    [Fact]
    public async Task ALabelBratCannotNameIsRefusedWithTheReason()
    {
        var (notes, _) = await ImportWithNoteLabelsAsync("nihss.item");
        var admin = await factory.SignedInAdministratorAsync();

        var brat = await admin.GetAsync($"/api/studies/{notes}/export/notes-brat.zip");
        var bioc = await admin.GetAsync($"/api/studies/{notes}/export/notes-bioc.json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, brat.StatusCode);
        Assert.Equal("application/problem+json", brat.Content.Headers.ContentType?.MediaType);
        Assert.Null(brat.Content.Headers.ContentDisposition);
        Assert.Equal("The study cannot be exported as notes-brat.zip: annotation.conf: label: \"nihss.item\" cannot be a brat name: brat names are ASCII letters, digits, _ and - only",
            (await brat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, bioc.StatusCode);
    }
}
