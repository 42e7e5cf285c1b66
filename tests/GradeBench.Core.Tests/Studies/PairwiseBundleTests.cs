using System.IO.Compression;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>A side-by-side study's bundle (tests/corpus/valid-bundles/pairwise): its design, pairs and votes; the other
/// forms of <c>pairs</c>; and what reads with a warning.</summary>
public sealed class PairwiseBundleTests
{
    static string Pairwise => Corpus.Valid("pairwise");

    /// <summary>The pairwise bundle copied into <paramref name="temp"/>, study.json changed by <paramref name="edit"/>,
    /// with other <paramref name="responses"/> and without votes.csv unless <paramref name="votes"/>.</summary>
    static string Copy(TempFolder temp, Func<string, string>? edit = null, string? responses = null, bool votes = false)
    {
        foreach (var file in Directory.GetFiles(Pairwise).Where(f => votes || Path.GetFileName(f) != "votes.csv"))
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        var study = Path.Combine(temp.Path, "study.json");
        if (edit is not null) File.WriteAllText(study, edit(File.ReadAllText(study)));
        if (responses is not null) File.WriteAllText(Path.Combine(temp.Path, "responses.jsonl"), responses);
        return temp.Path;
    }

    static StudyBundle ReadValid(string path)
    {
        var result = BundleReader.Read(path);
        Assert.Empty(result.Errors);
        return Assert.IsType<StudyBundle>(result.Bundle);
    }

    [Fact]
    public void ThePairwiseBundleGivesItsDesignPairsAndVotes()
    {
        var result = BundleReader.Read(Pairwise);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var bundle = result.Bundle!;
        var design = Assert.IsType<PairwiseDesign>(bundle.Study.Pairwise);
        Assert.Empty(bundle.Study.Criteria);
        Assert.Equal(["factual_error"], bundle.Study.SpanLabels.Select(s => s.Id));
        Assert.Equal((2, 2, false, null), (design.RatersPerPair, bundle.Study.RatersPerResponse, design.Adjudicate, design.PairsPerCase));
        Assert.Equal(["consensus", "harm"], design.Axes.Select(a => a.Id));
        Assert.Equal(("Which answer better reflects clinical consensus?", "Judge against current AHA/ASA guidance.", false),
            (design.Axes[0].Question, design.Axes[0].HelpMd, design.Axes[0].BothUnacceptable));
        Assert.Equal("哪个回答更符合临床共识？", design.Axes[0].QuestionIn(new TextLanguages("zh-CN", "en")).Text);
        Assert.Equal((null, true), (design.Axes[1].HelpMd, design.Axes[1].BothUnacceptable));
        Assert.Equal(["More accurate", "Safer"], design.Reasons.Select(r => r.Label));
        Assert.Equal("更准确", design.Reasons[0].LabelTranslations.ByLanguage["zh-CN"]);
        Assert.Equal([
            new BundlePair("case-001", "case-001.model-a", "case-001.model-b"),
            new BundlePair("case-001", "case-001.model-a", "case-001.model-c"),
            new BundlePair("case-001", "case-001.model-b", "case-001.model-c"),
            new BundlePair("case-002", "case-002.model-a", "case-002.model-b"),
        ], bundle.Pairs);
        Assert.Equal(6, bundle.Votes.Count);
        Assert.Equal(new BundleVote("rater-1", "harm", "case-001.model-b", "case-001.model-a", PairwiseChoice.Tie), bundle.Votes[1] with { Reasons = [], Comment = null });
        // Reasons and comment given on one row of a pair belong to each of its rows.
        Assert.All(bundle.Votes.Take(2), v => Assert.Equal(["accuracy", "safety"], v.Reasons));
        Assert.All(bundle.Votes.Take(2), v => Assert.Equal("Mismatch imaging is the key step, \"left\" misses it", v.Comment));
        Assert.All(bundle.Votes.Skip(2).Take(2), v => Assert.Equal(["safety"], v.Reasons));
        Assert.All(bundle.Votes.Skip(2).Take(2), v => Assert.Null(v.Comment));
        Assert.Equal(PairwiseChoice.BothBad, bundle.Votes[5].Choice);
        Assert.All(bundle.Votes, v => Assert.Null(v.FirstSubmitted));
    }

    [Fact]
    public void APairwiseBundleReadsFromAZipWithItsVotes()
    {
        using var temp = new TempFolder();
        var zip = Path.Combine(temp.Path, "bundle.zip");
        ZipFile.CreateFromDirectory(Pairwise, zip);

        Assert.Equal(6, ReadValid(zip).Votes.Count);
    }

    [Fact]
    public void PerCaseKeepsThatManyPairsOfEachCase()
    {
        using var temp = new TempFolder();

        var bundle = ReadValid(Copy(temp, s => s.Replace("\"pairs\": \"all\"", "\"pairs\": {\"per_case\": 1}")));

        Assert.Equal(1, bundle.Study.Pairwise!.PairsPerCase);
        Assert.Equal(["case-001", "case-002"], bundle.Pairs.Select(p => p.CaseId));
    }

    [Fact]
    public void ListedPairsAreTheStudysPairsInCaseOrderWithAFirst()
    {
        using var temp = new TempFolder();

        var bundle = ReadValid(Copy(temp, votes: true, edit: s => s.Replace("\"pairs\": \"all\"",
            "\"pairs\": [[\"case-002.model-b\", \"case-002.model-a\"], [\"case-001.model-a\", \"case-001.model-c\"], [\"case-001.model-b\", \"case-001.model-a\"]]")));

        Assert.Equal([
            new BundlePair("case-001", "case-001.model-a", "case-001.model-c"),
            new BundlePair("case-001", "case-001.model-a", "case-001.model-b"),
            new BundlePair("case-002", "case-002.model-a", "case-002.model-b"),
        ], bundle.Pairs);
        Assert.Equal(3, bundle.Study.Pairwise!.ListedPairs!.Count);
        Assert.Equal(6, bundle.Votes.Count);
    }

    [Theory]
    [InlineData("{\"per_case\": 0}", "study.json:21: pairwise.pairs.per_case: must be a positive integer")]
    [InlineData("[]", "study.json:21: pairwise.pairs: must be \"all\", {\"per_case\": N} or a list of pairs of response ids")]
    [InlineData("[[\"case-001.model-a\"]]", "study.json:21: pairwise.pairs[0]: must be an array of two response ids")]
    public void PairsAreAllNPerCaseOrAListOfTwoResponseIds(string pairs, string error)
    {
        using var temp = new TempFolder();

        var result = BundleReader.Read(Copy(temp, s => s.Replace("\"pairs\": \"all\"", $"\"pairs\": {pairs}")));

        Assert.Equal([error], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void EmptyCriteriaRulesAndAlertsNameNothingAndAreAccepted()
    {
        using var temp = new TempFolder();

        var bundle = ReadValid(Copy(temp, s => s.Replace("\"rubric\": {", "\"rubric\": { \"criteria\": [],")
            .Replace("\"adjudication\": {", "\"safety\": [], \"adjudication\": { \"rules\": {},")));

        Assert.Empty(bundle.Study.Criteria);
        Assert.False(bundle.Study.Pairwise!.Adjudicate);
    }

    [Fact]
    public void ACaseChecklistIsRefusedInAPairwiseStudyButAnEmptyOneNamesNothing()
    {
        using var temp = new TempFolder();
        var path = Copy(temp);
        var cases = File.ReadAllLines(Path.Combine(path, "cases.jsonl"));
        cases[0] = cases[0].Replace("{\"id\":\"case-001\",", "{\"id\":\"case-001\",\"criteria\":[{\"id\":\"dose\",\"text_md\":\"Gives the dose\",\"points\":5}],");
        cases[1] = cases[1].Replace("{\"id\":\"case-002\",", "{\"id\":\"case-002\",\"criteria\":[],");
        File.WriteAllLines(Path.Combine(path, "cases.jsonl"), cases);

        var result = BundleReader.Read(path);

        Assert.Equal(["cases.jsonl:1: criteria: a pairwise study has no case checklists: leave criteria out or empty"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ACaseAnsweredByFewerThanTwoModelsHasNoPairsAndAWarning()
    {
        using var temp = new TempFolder();
        var responses = string.Join('\n', File.ReadAllLines(Path.Combine(Pairwise, "responses.jsonl")).Where(l => !l.Contains("\"case-002.model-b\"")));

        var result = BundleReader.Read(Copy(temp, responses: responses));

        Assert.Empty(result.Errors);
        Assert.Equal(["cases.jsonl:2: id: fewer than two models answered case case-002, so it has no pairs"], result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void AStudyOfSingleAnswersIsSingleWhetherItSaysSoOrNot()
    {
        using var temp = new TempFolder();
        foreach (var file in Directory.GetFiles(Corpus.Valid("small"))) File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        var study = Path.Combine(temp.Path, "study.json");
        File.WriteAllText(study, File.ReadAllText(study).Replace("\"language\": \"en\",", "\"language\": \"en\", \"design\": \"single\","));

        var bundle = ReadValid(temp.Path);

        Assert.Null(bundle.Study.Pairwise);
        Assert.Null(ReadValid(Corpus.Valid("small")).Study.Pairwise);
        Assert.Empty(bundle.Pairs);
    }
}
