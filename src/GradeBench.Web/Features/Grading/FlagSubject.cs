namespace GradeBench.Web.Features.Grading;

/// <summary>What a <see cref="FlagPanel"/> flags, in its texts: the grading page's item, or one answer of a side-by-side
/// pair, named by its side (never by its handle or model). The resource keys of its texts (<c>GradingText</c>) and the
/// id of its note field, unique on its page.</summary>
public sealed record FlagSubject(string NoteId, string FlagKey, string QuestionKey, string YourFlagsKey, string YouFlaggedKey,
    string YouFlaggedResolvedKey)
{
    public static readonly FlagSubject Item = new("flag-note", "FlagForCoordinator", "FlagQuestion", "YourFlags", "YouFlagged", "YouFlaggedResolved");

    public static readonly FlagSubject LeftAnswer = new("pair-left-flag-note", "FlagLeftAnswer", "FlagQuestionLeft", "YourFlagsLeft",
        "YouFlaggedAnswer", "YouFlaggedAnswerResolved");

    public static readonly FlagSubject RightAnswer = new("pair-right-flag-note", "FlagRightAnswer", "FlagQuestionRight", "YourFlagsRight",
        "YouFlaggedAnswer", "YouFlaggedAnswerResolved");
}
