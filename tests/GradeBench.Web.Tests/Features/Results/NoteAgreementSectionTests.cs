using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Notes;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.StudyResults;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page's agreement on note passages: only in a study with note labels, the note rows of
/// span-agreement.csv rounded, and a "By criterion" table under each section with the criteria in the reader's language.</summary>
public sealed partial class NoteAgreementSectionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [GeneratedRegex("""<section[^>]*aria-labelledby="note-agreement-heading"[^>]*>(.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex NoteSection();

    [GeneratedRegex("""<section[^>]*aria-labelledby="span-agreement-heading"[^>]*>(.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex AnswerSection();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("""<table[^>]*class="[^"]*by-criterion[^"]*"[^>]*>(.*?)</table>""", RegexOptions.Singleline)]
    private static partial Regex CriterionTable();

    static List<string[]> Rows(string html) => [.. Row().Matches(html)
        .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", "")).Trim()).ToArray())];

    static string Rounded(string number) => double.Parse(number, CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A copy of the demo with note labels, labels linked to criteria (<see cref="DemoNotes.LinkCriteria"/>).</summary>
    async Task<long> ImportAsync()
    {
        using var folder = new TempFolder();
        var bundle = BundleReader.Read(DemoNotes.LinkCriteria(DemoNotes.Write(Path.Combine(folder.Path, "bundle")))).Bundle!;
        var slug = "notes-" + Guid.NewGuid().ToString("N");
        return (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle with { Study = bundle.Study with { Id = slug } }, [])).StudyId!.Value;
    }

    /// <summary>Two new raters mark passages of one case's note (overlapping nihss, and a symptom) and submit an answer to it.</summary>
    async Task MarkAsync(long studyId, long a, long b)
    {
        var grading = factory.Services.GetRequiredService<GradingStore>();
        var response = (await grading.QueueAsync(studyId, a)).Select(q => q.ResponseId)
            .Intersect((await grading.QueueAsync(studyId, b)).Select(q => q.ResponseId)).First();
        long caseId;
        await using (var connection = await factory.Services.GetRequiredService<Database>().OpenAsync())
            caseId = await connection.ExecuteScalarAsync<long>("SELECT case_id FROM responses WHERE id = @response", new { response });
        var notes = factory.Services.GetRequiredService<NoteSpanStore>();
        var labels = await notes.LabelsAsync(studyId);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(a, caseId, labels[0].Id, 0, 20, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(b, caseId, labels[0].Id, 5, 25, null, null)).Outcome);
        Assert.Equal(NoteSpanOutcome.Saved, (await notes.AddAsync(b, caseId, labels[1].Id, 30, 40, null, null)).Outcome);
        foreach (var rater in new[] { a, b }) await grading.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit: true);
    }

    async Task<string> PageAsync(long studyId, string language = "en")
    {
        var client = await factory.SignedInMemberAsync(studyId, "coord", StudyRoles.Coordinator);
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        var cache = factory.Services.GetRequiredService<ResultsCache>();
        await await cache.GetAsync(studyId, onConsensus: false);
        await await cache.GetSpansAsync(studyId);
        await await cache.GetSpansAsync(studyId, SpanSource.Note);
        return await client.GetStringAsync($"/studies/{studyId}/results");
    }

    [Fact]
    public async Task TheNoteSectionShowsTheNoteRowsOfSpanAgreementCsvAndItsCriteria()
    {
        var studyId = await ImportAsync();
        var (a, b) = ((await factory.MemberAsync(studyId, "note-a")).Id, (await factory.MemberAsync(studyId, "note-b")).Id);
        await MarkAsync(studyId, a, b);

        var html = await PageAsync(studyId);
        var section = NoteSection().Match(html).Groups[1].Value;
        var export = new StringWriter();
        await new TextExport(factory.Services.GetRequiredService<Database>()).WriteSpanAgreementAsync(studyId, export);

        Assert.Contains("Agreement on note passages", section);
        Assert.Contains("<caption>Agreement on marked passages of the notes, overall and per note label, with 95% intervals</caption>", section);
        var table = Regex.Match(section, """<table[^>]*id="note-agreement"[^>]*>(.*?)</table>""", RegexOptions.Singleline).Groups[1].Value;
        var page = Rows(table);
        Assert.Equal(["Note label", "F1, exact matching", "F1, overlap matching", "Krippendorff's α_u", "Cases", "Raters", "Passages"], page[0]);
        Assert.Equal(["All labels", "NIHSS item", "Symptom", "Medication"], page.Skip(1).Select(r => r[0]));
        var byCriterion = Rows(CriterionTable().Match(section).Groups[1].Value);
        Assert.Equal(["Criterion", "F1, exact matching", "F1, overlap matching", "Krippendorff's α_u", "Cases", "Raters", "Passages"], byCriterion[0]);
        Assert.Equal(["Agreement with guideline consensus", "Extent of possible harm"], byCriterion.Skip(1).Select(r => r[0]));
        using var csv = CsvDataReader.Create(new StringReader(export.ToString()));
        var shown = 0;
        while (csv.Read())
        {
            if (csv.GetString(0) != "note") continue;
            var row = csv.GetString(1) switch
            {
                "overall" => page[1],
                "label" => page[2 + Array.IndexOf(DemoNotes.Labels, csv.GetString(2))],
                _ => byCriterion[csv.GetString(2) == "consensus" ? 1 : 2],
            };
            var cell = row[1 + Array.IndexOf(["f1_exact", "f1_overlap", "alpha_u"], csv.GetString(3))];
            var expected = csv.GetString(4) == "" ? $"no value: {csv.GetString(10)}"
                : csv.GetString(5) == "" ? Rounded(csv.GetString(4))
                : $"{Rounded(csv.GetString(4))} ({Rounded(csv.GetString(5))} to {Rounded(csv.GetString(6))})";
            Assert.Equal(expected, cell);
            Assert.Equal([csv.GetString(7), csv.GetString(8), csv.GetString(9)], row[4..]);
            shown++;
        }
        Assert.Equal(3 * (1 + 3 + 2), shown);
        // The answers' section has its own criteria (factual_error and unsafe are linked to both).
        Assert.Equal(3, Rows(CriterionTable().Match(AnswerSection().Match(html).Groups[1].Value).Groups[1].Value).Count);
    }

    [Fact]
    public async Task TheCriteriaAreNamedInTheReadersLanguage()
    {
        var studyId = await ImportAsync();
        await MarkAsync(studyId, (await factory.MemberAsync(studyId, "note-a")).Id, (await factory.MemberAsync(studyId, "note-b")).Id);

        var section = NoteSection().Match(await PageAsync(studyId, "zh-CN")).Groups[1].Value;

        Assert.Contains("与指南共识的一致性", WebUtility.HtmlDecode(section));
    }

    [Fact]
    public async Task AStudyWithoutNoteLabelsHasNoNoteSection()
    {
        var studyId = await factory.ImportDemoCopyAsync();

        Assert.DoesNotContain("note-agreement-heading", await PageAsync(studyId));
    }
}
