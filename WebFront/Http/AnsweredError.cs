namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The error envelope a request was answered with, kept as a request feature by <see cref="EnvelopeWriter"/>
/// so that the operation record of a refused change can name it.
/// </summary>
public sealed record AnsweredError(double Code, string Reason);
