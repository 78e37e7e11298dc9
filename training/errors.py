"""One named exception per business failure; pages show their message to the user."""


class TrainingError(Exception):
    """Base: a rule said no. The message is safe to show to the user."""


class SetupAlreadyDone(TrainingError):
    pass


class WeakPassword(TrainingError):
    pass


class NotAllowed(TrainingError):
    pass


class NotFound(TrainingError):
    pass


class DuplicateRecord(TrainingError):
    pass


class InvalidInput(TrainingError):
    pass


class QuizUnavailable(TrainingError):
    pass


class RetakeNotAllowed(TrainingError):
    pass


class AttemptClosed(TrainingError):
    pass
