using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace GradeBench.Web.Tests.Features.Export;

public sealed class ExportApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A user with a password; a member of the study in <paramref name="role"/>, of none without one.</summary>
    Task<User> UserAsync(long? studyId, string name, string role = "rater") =>
        factory.MemberAsync(studyId, name, role, withPassword: true);

    /// <summary>A bearer client of a new coordinator of a copy of the demo study of this test's own.</summary>
    async Task<(HttpClient Client, long StudyId, string Slug)> CoordinatorOfACopyAsync()
    {
        var (studyId, slug) = await factory.ImportNamedDemoCopyAsync();
        return (await BearerClientAsync(factory, await UserAsync(studyId, "coordinator", "coordinator")), studyId, slug);
    }

    static async Task<HttpClient> BearerClientAsync(GradeBenchFactory app, User user)
    {
        var client = app.CreateBrowserClient();
        var token = await app.Services.GetRequiredService<ApiTokenStore>().CreateAsync(user.Id, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task OnlyCoordinatorsAndAdministratorsMayDownload()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var admin = await factory.SignedInAdministratorAsync();
        var callers = new (string Name, HttpClient Client)[]
        {
            ("anonymous", factory.CreateBrowserClient()),
            ("bearer of a rater", await BearerClientAsync(factory, await UserAsync(studyId, "rater"))),
            ("bearer of a non-member", await BearerClientAsync(factory, await UserAsync(null, "outsider"))),
            ("bearer of a coordinator", await BearerClientAsync(factory, await UserAsync(studyId, "coordinator", "coordinator"))),
            ("cookie of the administrator", admin),
        };

        var seen = new List<string>();
        foreach (var (name, client) in callers)
        {
            var answer = await client.GetAsync($"/api/studies/{studyId}/export/ratings.csv");
            seen.Add($"{name}: {(int)answer.StatusCode}");
            Assert.NotEqual("text/html", answer.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(
        [
            "anonymous: 401",
            "bearer of a rater: 403",
            "bearer of a non-member: 403",
            "bearer of a coordinator: 200",
            "cookie of the administrator: 200",
        ], seen);
    }

    [Fact]
    public async Task RatingsCsvIsAnAttachmentNamedAfterTheStudyWithEverySubmittedRating()
    {
        var (client, studyId, slug) = await CoordinatorOfACopyAsync();

        var answer = await client.GetAsync($"/api/studies/{studyId}/export/ratings.csv");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/csv", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", answer.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", answer.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{slug}-ratings.csv", answer.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await answer.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith("study,case_id,response_id,model,rater,criterion"u8), "no byte-order mark unless asked");
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 576, lines.Length);
    }

    [Fact]
    public async Task TheExcelFlavourDownloadsUnderItsOwnName()
    {
        var (client, studyId, slug) = await CoordinatorOfACopyAsync();

        var plain = await client.GetAsync($"/api/studies/{studyId}/export/ratings-wide.csv");
        var excel = await client.GetAsync($"/api/studies/{studyId}/export/ratings-wide.csv?excel=true");

        // Both saved in one Downloads folder, neither overwrites nor is mistaken for the other.
        Assert.Equal($"{slug}-ratings-wide.csv", plain.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal($"{slug}-ratings-wide-excel.csv", excel.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task TheExcelParameterAddsAByteOrderMarkAndEveryKindDownloads()
    {
        var (client, studyId, slug) = await CoordinatorOfACopyAsync();

        var excel = await client.GetByteArrayAsync($"/api/studies/{studyId}/export/ratings-wide.csv?excel=true");
        var spans = await client.GetAsync($"/api/studies/{studyId}/export/annotations.jsonl");
        var history = await client.GetAsync($"/api/studies/{studyId}/export/history.csv");
        var bundle = await client.GetAsync($"/api/studies/{studyId}/export/bundle.zip");

        Assert.True(excel.AsSpan().StartsWith("\uFEFFstudy,case_id,response_id,model,rater,consensus"u8));
        Assert.Equal(HttpStatusCode.OK, spans.StatusCode);
        Assert.Equal("application/jsonl", spans.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal("application/zip", bundle.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{slug}-bundle.zip", bundle.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var zip = new ZipArchive(await bundle.Content.ReadAsStreamAsync());
        Assert.Equal(["study.json", "cases.jsonl", "responses.jsonl", "ratings.csv"], zip.Entries.Select(e => e.FullName));
    }

    static List<string[]> Cells(byte[] csv)
    {
        using var reader = CsvDataReader.Create(new StreamReader(new MemoryStream(csv)), new CsvDataReaderOptions { HasHeaders = false });
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.RowFieldCount).Select(reader.GetString).ToArray());
        return rows;
    }

    [Fact]
    public async Task TheExcelParameterPutsAnApostropheBeforeFormulasInEveryCsvKind()
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-formulas-").FullName;
        var import = await new StudyImporter(factory.Services.GetRequiredService<Database>(), TimeProvider.System)
            .ImportAsync(FormulaStudy.Write(Path.Combine(folder, "bundle")));
        Directory.Delete(folder, recursive: true);
        var studyId = import.StudyId!.Value;
        var client = await BearerClientAsync(factory, await factory.MemberAsync(studyId, "formulas", "coordinator"));

        foreach (var kind in new[] { "ratings.csv", "ratings-wide.csv", "history.csv" })
        {
            var plain = await client.GetByteArrayAsync($"/api/studies/{studyId}/export/{kind}");
            var excel = await client.GetByteArrayAsync($"/api/studies/{studyId}/export/{kind}?excel=true");

            Assert.True(excel.AsSpan().StartsWith("\uFEFFstudy,"u8));
            Assert.Equal(Cells(plain).Select(r => string.Join(" | ", r.Select(FormulaStudy.ForExcel))), Cells(excel).Select(r => string.Join(" | ", r)));
            Assert.Contains(",=1+1,", Encoding.UTF8.GetString(plain));
            Assert.Contains(",'=1+1,", Encoding.UTF8.GetString(excel));
            Assert.Contains(",-1,", Encoding.UTF8.GetString(excel));
        }
    }

    [Fact]
    public async Task AnUnknownKindOrStudyIsNotFoundAndTheAnswerListsTheKinds()
    {
        var (client, studyId, _) = await CoordinatorOfACopyAsync();

        var kind = await client.GetAsync($"/api/studies/{studyId}/export/ratings.xlsx");
        var study = await client.GetAsync("/api/studies/999999/export/ratings.csv");

        Assert.Equal(HttpStatusCode.NotFound, kind.StatusCode);
        Assert.Equal("application/problem+json", kind.Content.Headers.ContentType?.MediaType);
        var detail = (await kind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("There is no export \"ratings.xlsx\". Exports: ratings.csv, ratings-wide.csv, annotations.jsonl, note-spans.csv, span-links.csv, gold-spans.csv, history.csv, flags.csv, safety-alerts.csv, agreement.csv, span-agreement.csv, judges.csv, report.html, report.md, bundle.zip.", detail);
        Assert.Equal(HttpStatusCode.NotFound, study.StatusCode);
    }

    [Fact]
    public async Task TheReportDownloadsAsHtmlAndMarkdown()
    {
        var (client, studyId, slug) = await CoordinatorOfACopyAsync();

        var html = await client.GetAsync($"/api/studies/{studyId}/export/report.html");
        var markdown = await client.GetAsync($"/api/studies/{studyId}/export/report.md");

        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{slug}-report.html", html.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var page = await html.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", page);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("# LLM answers to stroke care questions", await markdown.Content.ReadAsStringAsync());
    }
}
