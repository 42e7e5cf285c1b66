using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Core.Studies;
using GradeBench.Storage;
using GradeBench.Storage.Export;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.StudyResults;
using Microsoft.Extensions.DependencyInjection;
using Sylvan.Data.Csv;

namespace GradeBench.Web.Tests.Features.Results;

/// <summary>The results page's span agreement: the numbers of span-agreement.csv, rounded, in a table with a caption and
/// headers; without span labels or a response two raters submitted, one sentence that says why.</summary>
public sealed partial class SpanAgreementSectionTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>The results page as the administrator sees it once the study's results are known.</summary>
    async Task<string> PageAsync(long studyId, bool pairwise = false)
    {
        var cache = factory.Services.GetRequiredService<ResultsCache>();
        if (pairwise) await await cache.GetPairwiseAsync(studyId);
        else await await cache.GetAsync(studyId, onConsensus: false);
        await await cache.GetSpansAsync(studyId);
        return await factory.PageAsAdministratorAsync($"/studies/{studyId}/results");
    }

    [GeneratedRegex("""<section[^>]*aria-labelledby="span-agreement-heading"[^>]*>(.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    static List<string[]> Rows(string html) => [.. Row().Matches(html)
        .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<[^>]+>", "")).Trim()).ToArray())];

    static string Rounded(string number) => double.Parse(number, CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Two new raters highlight overlapping passages of one answer (one of them a second passage with another
    /// label) and submit it, beside the demo's pilot raters, who highlighted nothing.</summary>
    [Fact]
    public async Task TheTableShowsTheNumbersOfSpanAgreementCsv()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var a = (await factory.MemberAsync(studyId, "span-a")).Id;
        var b = (await factory.MemberAsync(studyId, "span-b")).Id;
        var grading = factory.Services.GetRequiredService<GradingStore>();
        var response = (await grading.QueueAsync(studyId, a)).Select(q => q.ResponseId)
            .Intersect((await grading.QueueAsync(studyId, b)).Select(q => q.ResponseId)).First();
        var spans = factory.Services.GetRequiredService<SpanStore>();
        var labels = await spans.LabelsAsync(studyId);
        await spans.AddAsync(studyId, a, response, labels[0].Id, 0, 20, null);
        await spans.AddAsync(studyId, b, response, labels[0].Id, 5, 25, null);
        await spans.AddAsync(studyId, b, response, labels[1].Id, 30, 40, null);
        foreach (var rater in new[] { a, b }) await grading.SaveAsync(studyId, rater, response, DemoRatings.Complete(), submit: true);

        var html = Section().Match(await PageAsync(studyId)).Groups[1].Value;
        var export = new StringWriter();
        await new TextExport(factory.Services.GetRequiredService<Database>()).WriteSpanAgreementAsync(studyId, export);

        Assert.Contains("<caption>Agreement on highlighted spans, overall and per label, with 95% intervals</caption>", html);
        Assert.Contains("""<th scope="col">Span label</th>""", html);
        var page = Rows(html);
        Assert.Equal(["Span label", "F1, exact matching", "F1, overlap matching", "Krippendorff's α_u", "Responses", "Raters", "Highlights"], page[0]);
        Assert.Equal(["All labels", .. labels.Select(l => l.Label)], page.Skip(1).Select(r => r[0]));
        using var csv = CsvDataReader.Create(new StringReader(export.ToString()));
        var shown = 0;
        while (csv.Read())
        {
            Assert.Equal("answers", csv.GetString(0));
            var row = page[csv.GetString(1) == "overall" ? 1 : 2 + labels.ToList().FindIndex(l => l.Slug == csv.GetString(2))];
            var cell = row[1 + Array.IndexOf(["f1_exact", "f1_overlap", "alpha_u"], csv.GetString(3))];
            var expected = csv.GetString(4) == "" ? $"no value: {csv.GetString(10)}"
                : csv.GetString(5) == "" ? Rounded(csv.GetString(4))
                : $"{Rounded(csv.GetString(4))} ({Rounded(csv.GetString(5))} to {Rounded(csv.GetString(6))})";
            Assert.Equal(expected, cell);
            Assert.Equal([csv.GetString(7), csv.GetString(8), csv.GetString(9)], row[4..]);
            shown++;
        }
        Assert.Equal(3 * (1 + labels.Count), shown);
        // No exact match; one overlap match of three highlights.
        Assert.StartsWith("0.000", page[1][1]);
        Assert.StartsWith("0.667", page[1][2]);
        Assert.Contains("span-agreement.csv", html);
    }

    [Fact]
    public async Task WithoutSpanLabelsTheSectionSaysWhyInOneSentence()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "no-spans-" + Guid.NewGuid().ToString("N"), SpanLabels = [] } };
        var studyId = (await factory.Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;

        var html = Section().Match(await PageAsync(studyId)).Groups[1].Value;

        Assert.Contains("<p>This study has no span labels, so there are no highlights to compare.</p>", html);
        Assert.DoesNotContain("<table", html);
    }

    /// <summary>A side-by-side study has the section too; before any pair is submitted by two raters, it says so.</summary>
    [Fact]
    public async Task BeforeTwoRatersSubmittedAResponseTheSectionSaysSo()
    {
        var study = await PairwiseFixture.TurnIntoPairwiseAsync(factory.Services.GetRequiredService<Database>(), TimeProvider.System,
            await factory.ImportDemoCopyAsync(), GradeBenchFactory.UniqueName("dr-left"), GradeBenchFactory.UniqueName("dr-right"));

        var html = Section().Match(await PageAsync(study.StudyId, pairwise: true)).Groups[1].Value;

        Assert.Contains("<p>No response has been submitted by two or more raters yet, so no two raters&#x27; highlights can be compared.</p>", html);
    }
}
