using System.Globalization;
using System.Text;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Testing.Corpus;

namespace GradeBench.Core.Tests.Studies;

/// <summary>study.json's texts given in several languages (a map by language tag), read and checked with errors on the
/// map's entries, and shown in a reader's language where present, else the study's.</summary>
public sealed class TranslatedTextTests
{
    static readonly string SmallFolder = Corpus.Valid("small");
    static readonly TextLanguages Chinese = new("zh-CN", "en"), English = new("en", "en");

    static BundleReadResult Read(params (string From, string To)[] edits)
    {
        var files = new[] { "study.json", "cases.jsonl", "responses.jsonl", "ratings.csv" }
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(SmallFolder, n)));
        var study = Encoding.UTF8.GetString(files["study.json"]);
        foreach (var (from, to) in edits)
        {
            Assert.Contains(from, study);
            study = study.Replace(from, to);
        }
        files["study.json"] = Encoding.UTF8.GetBytes(study);
        return BundleReader.Parse(files);
    }

    static IReadOnlyList<string> Errors(params (string From, string To)[] edits)
    {
        var result = Read(edits);
        Assert.Null(result.Bundle);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    const string Label = "\"label\": \"Agreement with guideline consensus\"";

    [Fact]
    public void EveryTextTakesAStringOrAMapByLanguage()
    {
        var result = Read(
            ("\"instructions_md\": \"Rate every response on **each** criterion.\"",
             "\"instructions_md\": {\n    \"en\": \"Rate every response on **each** criterion.\",\n    \"zh-CN\": \"请对每个回答的**每个**评分条目评分。\"\n  }"),
            (Label, "\"label\": { \"en\": \"Agreement with guideline consensus\", \"zh-CN\": \"与指南共识的一致性\" }"),
            ("\"help_md\": \"Does the answer agree with current AHA/ASA guidance?\"", "\"help_md\": { \"zh\": \"是否一致？\", \"en\": \"Agree?\" }"),
            ("\"1\": \"Contradicts consensus\"", "\"1\": { \"en\": \"Contradicts consensus\", \"zh-CN\": \"与共识相悖\" }"),
            ("\"label\": \"Death or severe harm\"", "\"label\": { \"en\": \"Death or severe harm\", \"zh-CN\": \"死亡或严重危害\" }"),
            ("\"label\": \"Factual error\"", "\"label\": { \"EN\": \"Factual error\", \"zh-CN\": \"事实错误\" }"));

        Assert.Empty(result.Errors);
        var study = result.Bundle!.Study;
        var accuracy = study.Criteria[0];
        // The study's text stays where every existing reader of it looks.
        Assert.Equal("Agreement with guideline consensus", accuracy.Label);
        Assert.Equal("Agree?", accuracy.HelpMd);
        Assert.Equal("Rate every response on **each** criterion.", study.InstructionsMd);
        Assert.Equal("Factual error", study.SpanLabels[0].Label);
        Assert.Equal(new ShownText("与指南共识的一致性", "zh-CN"), accuracy.LabelIn(Chinese));
        Assert.Equal(new ShownText("Agreement with guideline consensus", "en"), accuracy.LabelIn(English));
        Assert.Equal(new ShownText("是否一致？", "zh"), accuracy.HelpIn(Chinese)); // zh-CN looked up as zh too
        Assert.Equal(new ShownText("请对每个回答的**每个**评分条目评分。", "zh-CN"), study.InstructionsTranslations.Show(study.InstructionsMd, Chinese));
        Assert.Equal(["zh-CN"], study.SpanLabels[0].LabelTranslations.ByLanguage.Keys);
        var shown = RubricScale.Show(accuracy, Chinese);
        Assert.Equal(new ShownText("1 · 与共识相悖", "zh-CN"), shown.Choices[0].Label);
        Assert.Equal(new ShownText("3 · Partly aligned", "en"), shown.Choices[2].Label);
        Assert.Equal(new ShownText("2", "en"), shown.Choices[1].Label);
        var harm = study.Criteria[1];
        Assert.Equal(new ShownText("死亡或严重危害", "zh-CN"), harm.Options[2].LabelIn(Chinese));
        Assert.Equal(new ShownText("No harm", "en"), harm.Options[0].LabelIn(Chinese));
        Assert.Equal(new ShownText("Extent of possible harm", "en"), harm.LabelIn(Chinese));
        Assert.Same(Translations.None, harm.LabelTranslations);
    }

    [Fact]
    public void AMapWithoutTheStudysLanguageIsAnError() =>
        Assert.Equal(["study.json:15: rubric.criteria[0].label: must give the text in the study's language \"en\""],
            Errors((Label, "\"label\": { \"zh-CN\": \"与指南共识的一致性\" }")));

    [Fact]
    public void AKeyThatIsNotALanguageTagIsAnErrorOnItsEntry() =>
        Assert.Equal(["study.json:15: rubric.criteria[0].label.english: must be a language tag such as \"en\" or \"zh-CN\""],
            Errors((Label, "\"label\": { \"en\": \"Agreement\", \"english\": \"Agreement\" }")));

    [Fact]
    public void AnEmptyTranslationIsAnError() =>
        Assert.Equal(["study.json:29: rubric.criteria[1].options[1].label.zh-CN: must be a non-empty string"],
            Errors(("\"label\": \"Mild or moderate harm\"", "\"label\": { \"en\": \"Mild or moderate harm\", \"zh-CN\": \" \" }")));

    [Fact]
    public void ATranslationThatIsNotAStringIsAnErrorOnItsOwnLine() =>
        Assert.Equal(["study.json:8: instructions_md.zh-CN: must be a non-empty string"],
            Errors(("\"instructions_md\": \"Rate every response on **each** criterion.\"",
                "\"instructions_md\": {\n    \"en\": \"Rate every response.\",\n    \"zh-CN\": 5\n  }")));

    [Fact]
    public void AnAnchorAndASpanLabelAreCheckedTheSameWay() =>
        Assert.Equal(
            ["study.json:20: rubric.criteria[0].anchors.5: must give the text in the study's language \"en\"",
             "study.json:55: rubric.span_labels[0].label.zh-cn: language \"zh-cn\" is given twice"],
            Errors(("\"5\": \"Fully aligned\"", "\"5\": { \"zh-CN\": \"完全一致\" }"),
                ("\"label\": \"Factual error\"", "\"label\": { \"en\": \"Factual error\", \"zh-CN\": \"事实错误\", \"zh-cn\": \"事实错误\" }")));

    [Fact]
    public void ALanguageIsLookedUpFromTheMostToTheLeastSpecificTag()
    {
        var texts = new Translations([new("zh", "中文"), new("pt-BR", "português")]);

        Assert.Equal(new ShownText("中文", "zh"), texts.Find("zh-Hans-CN"));
        Assert.Equal(new ShownText("português", "pt-BR"), texts.Find("PT-br"));
        Assert.Null(texts.Find("pt"));
        Assert.Equal(new ShownText("English", "en"), texts.Show("English", new TextLanguages("fr", "en")));
        Assert.Equal(texts, Translations.FromJson(texts.ToJson()));
        Assert.Null(Translations.None.ToJson());
    }

    [Theory]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-Hans", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-TW", "en")]
    [InlineData("en", "en")]
    [InlineData("qps-Ploc", "en")]
    public void TheInterfaceCultureWantsSimplifiedChineseOrEnglish(string culture, string wanted) =>
        Assert.Equal(new TextLanguages(wanted, "fr"), TextLanguages.ForInterface(new CultureInfo(culture), "fr"));
}
