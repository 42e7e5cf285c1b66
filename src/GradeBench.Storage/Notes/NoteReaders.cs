namespace GradeBench.Storage.Notes;

/// <summary>Who read a case's note (docs/spans.md, "Readers"), written once for the agreement figures and span
/// adjudication: the physicians who finished their work on the case (submitted a rating of one of its answers, a
/// judgement of one of its pairs, or marked it done in a note-only study) and who annotate notes: in a note-only study
/// all of them, elsewhere those who marked a passage of some note of the study, so that raters who never mark notes (a
/// bundle's pilot ratings) do not count as having found nothing. LLM judges read none. A passage of a rater still at work
/// on the case (a draft) does not make them a reader.</summary>
public static class NoteReaders
{
    /// <summary>SQL selecting (case_id, rater_id) for every reader of every note of the study whose id is the SQL
    /// expression <paramref name="studyId"/> (a parameter such as <c>?1</c> or <c>@StudyId</c>, or a subquery).</summary>
    public static string Of(string studyId) => $"""
        SELECT finished.case_id, finished.rater_id FROM (
            SELECT r.case_id, a.rater_id FROM assignments a JOIN responses r ON r.id = a.response_id
            WHERE a.study_id = {studyId} AND a.completed_at IS NOT NULL
            UNION
            SELECT p.case_id, a.rater_id FROM pair_assignments a JOIN pairs p ON p.id = a.pair_id
            WHERE p.study_id = {studyId} AND a.completed_at IS NOT NULL) finished
        WHERE finished.rater_id NOT IN (SELECT j.user_id FROM judges j WHERE j.study_id = {studyId})
          AND ({NoteItems.IsAnnotation(studyId)}
               OR finished.rater_id IN (SELECT n.rater_id FROM note_spans n JOIN cases c ON c.id = n.case_id WHERE c.study_id = {studyId}))
        """;
}
