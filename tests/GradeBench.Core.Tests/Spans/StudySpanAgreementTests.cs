using GradeBench.Core.Spans;

namespace GradeBench.Core.Tests.Spans;

public sealed class StudySpanAgreementTests
{
    static SpanDocument Document(string id, int length, string[] readers, params (string Rater, string Label, int Start, int End)[] spans) =>
        SpanAgreementTests.Document(id, length, readers, spans);

    /// <summary>d3 has one reader: it is left out of every number, its span included. Per label: the documents where the
    /// label was marked, the raters who marked it, its distinct spans (a's repeated [0,4) once); a label nobody marked
    /// has its row, with nothing counted.</summary>
    [Fact]
    public void EveryLabelHasItsRowInTheStudysOrderWithWhatItRestsOn()
    {
        SpanLabelName[] labels = [new("drug", "Drug"), new("route", "Route"), new("dose", "Dose")];
        SpanDocument[] documents =
        [
            Document("d1", 20, ["a", "b"], ("a", "drug", 0, 4), ("a", "drug", 0, 4), ("b", "drug", 0, 4), ("b", "dose", 6, 9)),
            Document("d2", 20, ["a", "b", "c"], ("c", "dose", 1, 3)),
            Document("d3", 20, ["c"], ("c", "drug", 0, 4)),
        ];

        var result = StudySpanAgreement.Compute(labels, documents, resamples: 0);

        Assert.Equal((2, 2, 3, 4), (result.Report.Documents, result.Report.PairedDocuments, result.Report.Raters, result.Report.Spans));
        Assert.Equal(["Drug", "Route", "Dose"], result.Labels.Select(l => l.Name));
        Assert.Equal([(1, 2, 2), (0, 0, 0), (2, 2, 2)], result.Labels.Select(l => (l.Documents, l.Raters, l.Spans)));
        Assert.Equal(1.0, result.Labels[0].Figures.F1Exact.Value);
        Assert.Null(result.Labels[1].Figures.AlphaU.Value);
        Assert.Equal(SpanAgreement.Run(documents[..2], new SpanAgreementOptions { BootstrapResamples = 0 }).Overall, result.Report.Overall);
    }

    /// <summary>Per criterion, the spans of the labels linked to it only, as if the study had those labels alone: the
    /// overall figures of that run, bootstrap included, with the documents, raters and spans of those labels. A criterion
    /// no label names has no row; the rows keep the criteria's order.</summary>
    [Fact]
    public void EachLinkedCriterionHasTheFiguresOfItsLabelsAlone()
    {
        SpanLabelName[] labels = [new("drug", "Drug"), new("route", "Route"), new("dose", "Dose")];
        SpanDocument[] documents =
        [
            Document("d1", 20, ["a", "b"], ("a", "drug", 0, 4), ("b", "drug", 0, 5), ("b", "dose", 6, 9)),
            Document("d2", 20, ["a", "b", "c"], ("c", "dose", 1, 3), ("a", "route", 2, 8), ("b", "route", 2, 8)),
            Document("d3", 20, ["c"], ("c", "drug", 0, 4)),
        ];
        LinkedCriterion[] criteria = [new("safety", "Safety", ["dose", "drug"]), new("style", "Style", []), new("accuracy", "Accuracy", ["route"])];

        var result = StudySpanAgreement.Compute(labels, documents, resamples: 50, criteria: criteria);

        Assert.Equal(["safety", "accuracy"], result.Criteria.Select(c => c.Id));
        Assert.Equal(["Safety", "Accuracy"], result.Criteria.Select(c => c.Name));
        Assert.Equal([(2, 3, 4), (1, 2, 2)], result.Criteria.Select(c => (c.Documents, c.Raters, c.Spans)));
        SpanDocument Only(SpanDocument d, params string[] kept) => d with { Spans = [.. d.Spans.Where(s => kept.Contains(s.Label))] };
        var safety = SpanAgreement.Run([Only(documents[0], "drug", "dose"), Only(documents[1], "drug", "dose")],
            new SpanAgreementOptions { BootstrapResamples = 50, Labels = ["dose", "drug"] });
        Assert.Equal(safety.Overall, result.Criteria[0].Figures);
        Assert.Equal(0.5, result.Criteria[1].Figures.F1Exact.Value); // c read d2 and marked no route
    }

    [Fact]
    public void WithoutLinkedCriteriaThereAreNoCriterionRows() =>
        Assert.Empty(StudySpanAgreement.Compute([new("drug", "Drug")], [Document("d1", 10, ["a", "b"], ("a", "drug", 0, 4))], resamples: 0).Criteria);
}
