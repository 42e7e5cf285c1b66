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
}
