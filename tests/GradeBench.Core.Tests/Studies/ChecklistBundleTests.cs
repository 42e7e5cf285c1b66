using System.Globalization;
using System.Text;
using GradeBench.Core.Adjudication;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>Cases' checklists (docs/bundle-format.md, "Checklists: criteria of one case"): the valid corpus bundle
/// <c>checklist</c> and edits of it and of <c>small</c> in memory.</summary>
public sealed class ChecklistBundleTests
{
    static readonly string[] FileNames = ["study.json", "cases.jsonl", "responses.jsonl", "ratings.csv"];

    static Dictionary<string, byte[]> Files(string bundle) =>
        FileNames.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(Corpus.Valid(bundle), n)));

    static void Edit(Dictionary<string, byte[]> files, string name, string oldText, string newText)
    {
        var text = Encoding.UTF8.GetString(files[name]);
        Assert.Contains(oldText, text);
        files[name] = Encoding.UTF8.GetBytes(text.Replace(oldText, newText));
    }

    static IReadOnlyList<string> Errors(BundleReadResult result) => result.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void ACaseChecklistIsReadWithItsTextsPointsAndTagsAndTheRubricMayBeLeftOut()
    {
        var result = BundleReader.Read(Corpus.Valid("checklist"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var bundle = result.Bundle!;
        Assert.Empty(bundle.Study.Criteria);
        var first = bundle.Cases[0].Criteria;
        Assert.Equal(["mri-mismatch", "blood-pressure", "refuses-beyond-4.5h"], first.Select(c => c.Id));
        Assert.Equal([5, 3, -6], first.Select(c => c.Points));
        Assert.Equal(["axis:accuracy", "theme:imaging"], first[0].Tags);
        Assert.Empty(first[1].Tags);
        Assert.Equal("Names the DWI-FLAIR mismatch as what selects her", first[0].TextMd);
        Assert.Equal(new ShownText("指出以 DWI-FLAIR 不匹配筛选患者", "zh-CN"), first[0].TextIn(new TextLanguages("zh-CN", "en")));
        // An id is unique within its case only.
        Assert.Equal(["blood-pressure", "after-target"], bundle.Cases[1].Criteria.Select(c => c.Id));
        Assert.Equal(DisagreementRule.Never, bundle.Study.Adjudication!.Checklist);
        Assert.Equal(8, bundle.Ratings.Count);
        Assert.Equal(("case-001.model-b", "mri-mismatch", "false", "Misses imaging-based selection"),
            (bundle.Ratings[3].ResponseId, bundle.Ratings[3].CriterionId, bundle.Ratings[3].Value, bundle.Ratings[3].Comment));
    }

    [Fact]
    public void ACaseCriterionIsMarkedAsARequiredBinaryCriterion()
    {
        var criterion = new CaseCriterion("asks-weight", "Asks for the weight", 2, []).AsCriterion();

        Assert.Equal((CriterionType.Binary, true, "Asks for the weight"), (criterion.Type, criterion.Required, criterion.Label));
        Assert.Null(criterion.CheckValue("true"));
        Assert.Equal("\"met\" must be true or false", criterion.CheckValue("met")!.ToString());
    }

    [Fact]
    public void ChecklistsSitBesideTheRubricAndMarksResolveAgainstTheResponsesCase()
    {
        var files = Files("small");
        Edit(files, "cases.jsonl", "\"reference_md\":\"MRI DWI-FLAIR mismatch can select patients for IV thrombolysis.\"",
            "\"reference_md\":\"MRI DWI-FLAIR mismatch can select patients for IV thrombolysis.\",\"criteria\":[{\"id\":\"mri\",\"text_md\":\"Names MRI\",\"points\":4}]");
        files["ratings.csv"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(files["ratings.csv"])
            + "case-001.model-a,rater-1,mri,true,\ncase-001.model-b,rater-2,mri,false,\n");

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Equal(6, result.Bundle!.Study.Criteria.Count);
        Assert.Equal(["mri"], result.Bundle.Cases[0].Criteria.Select(c => c.Id));
        Assert.Empty(result.Bundle.Cases[1].Criteria);
        Assert.Equal(["true", "false"], result.Bundle.Ratings.Where(r => r.CriterionId == "mri").Select(r => r.Value));
        Assert.Equal(DisagreementRule.Any, result.Bundle.Study.Adjudication!.Checklist);
    }

    [Fact]
    public void ARaterWithoutEveryMarkOfTheCasesChecklistIsWarnedLikeForARequiredCriterion()
    {
        var files = Files("checklist");
        Edit(files, "ratings.csv", "case-001.model-b,rater-2,blood-pressure,false,\n", "");

        var result = BundleReader.Parse(files);

        Assert.Empty(result.Errors);
        Assert.Equal(["ratings.csv:5: criterion: rater-2 rated case-001.model-b without required criteria blood-pressure"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void ACaseCriterionIdMustDifferFromAnInvalidRubricCriterionsToo()
    {
        var files = Files("small");
        Edit(files, "study.json", "\"label\": \"Contains fabricated facts\"", "\"label\": \"\"");
        Edit(files, "cases.jsonl", "\"question_md\":\"What blood pressure target applies before and after thrombectomy?\"",
            "\"question_md\":\"What blood pressure target applies before and after thrombectomy?\",\"criteria\":[{\"id\":\"hallucination\",\"text_md\":\"x\",\"points\":1}]");

        var result = BundleReader.Parse(files);

        Assert.Equal(
            ["study.json:51: rubric.criteria[4].label: must be a non-empty string",
             "cases.jsonl:2: criteria[0].id: \"hallucination\" is already the id of a rubric criterion"],
            Errors(result));
    }

    [Fact]
    public void ACaseHoldsAtMostAHundredCriteria()
    {
        var files = Files("checklist");
        var many = string.Join(",", Enumerable.Range(1, 101).Select(i => $"{{\"id\":\"c{i}\",\"text_md\":\"Criterion {i}\",\"points\":1}}"));
        Edit(files, "cases.jsonl", "[{\"id\":\"blood-pressure\",\"text_md\":\"Keeps BP", $"[{many},{{\"id\":\"blood-pressure\",\"text_md\":\"Keeps BP");

        var result = BundleReader.Parse(files);

        Assert.Equal(["cases.jsonl:2: criteria: a case holds at most 100 criteria; this one has 103"], Errors(result));
    }

    [Fact]
    public void AMapOfACaseCriterionsTextNeedsTheStudysLanguageOnlyWhenStudyJsonSaysWhichItIs()
    {
        var files = Files("checklist");
        Edit(files, "cases.jsonl", "\"text_md\":\"Lowers blood pressure below 185/110 mmHg before thrombolysis\"", "\"text_md\":{\"zh-CN\":\"溶栓前降压\"}");
        var withStudy = BundleReader.Parse(files);
        files["study.json"] = "{ not json"u8.ToArray();

        var withoutStudy = BundleReader.Parse(files);

        Assert.Equal(["cases.jsonl:1: criteria[1].text_md: must give the text in the study's language \"en\""], Errors(withStudy));
        Assert.DoesNotContain(withoutStudy.Errors, e => e.File == "cases.jsonl");
    }

    [Theory]
    [InlineData("\"checklist\": \"sometimes\"")]
    [InlineData("\"checklist\": false")]
    public void AdjudicationChecklistIsAnyOrNever(string setting)
    {
        var files = Files("checklist");
        Edit(files, "study.json", "\"checklist\": \"never\"", setting);

        var result = BundleReader.Parse(files);

        Assert.Equal(["study.json:11: adjudication.checklist: must be \"any\" or \"never\""], Errors(result));
    }

    [Fact]
    public void AnEmptyRubricWithoutChecklistsIsTheOneErrorAndItsRatingsAreNotEachReported()
    {
        var files = Files("checklist");
        Edit(files, "cases.jsonl", "\"criteria\":", "\"unused\":");

        var result = BundleReader.Parse(files);

        Assert.Equal(["study.json:12: rubric.criteria: the study has no criteria: give rubric.criteria, or criteria on its cases"], Errors(result));
    }

    [Fact]
    public void ChecklistErrorsAreSaidInChineseToo()
    {
        var result = Corpus.Read(Corpus.Malformed("31-checklist-marks"));
        var chinese = CultureInfo.GetCultureInfo("zh-CN");

        Assert.Equal("“bp-target”是其他病例的评分条目，不属于此回答所对应的病例“case-001”", result.Errors[0].Text.ToString(chinese));
        Assert.Equal("必须是 -100 到 100 之间的非零整数",
            Corpus.Read(Corpus.Malformed("33-checklist-field-errors")).Errors.First(e => e.Field.EndsWith(".points")).Text.ToString(chinese));
    }

    [Fact]
    public async Task MarksArriveInTheStagedReadingAsTheyAreRead()
    {
        var staged = BundleReader.ReadStaged(Corpus.Valid("checklist"));
        var asRead = new List<BundleRating>();

        await foreach (var batch in staged.RatingsAsRead!.ReadAllAsync()) asRead.AddRange(batch);

        Assert.True((await staged.Complete).Succeeded);
        Assert.Equal([3, 2], staged.Head!.Cases.Select(c => c.Criteria.Count));
        Assert.Equal(8, asRead.Count);
    }
}
