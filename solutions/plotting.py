"""Training curves: loss per iteration and accuracy per epoch."""

import numpy as np


def plot_history(history, title=None, lang=None):
    """Draw ``history`` from :func:`solutions.training.train` and return the figure.

    Left: the mini-batch loss per iteration, with a moving average (window 100) because a
    single batch's loss is noisy. Right: train and test accuracy after each epoch (plotted
    at its iteration); two close curves mean the network is not overfitting. The words are
    in ``lang`` (default: the notebook's), in a font that has its letters.
    """
    import matplotlib.pyplot as plt

    from selfcheck.fonts import figure_fonts
    from selfcheck.messages import say

    with figure_fonts(lang):  # text takes its font when it is made
        fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
        loss = np.asarray(history["loss"], dtype=float)
        ax_loss.plot(loss, color="tab:blue", alpha=0.25, linewidth=0.8,
                     label=say("plot_batch_loss", lang))
        if loss.size >= 100:
            smooth = np.convolve(loss, np.ones(100) / 100, mode="valid")
            ax_loss.plot(np.arange(99, loss.size), smooth, color="tab:blue",
                         label=say("plot_moving_average", lang))
        ax_loss.set(xlabel=say("plot_iteration", lang), ylabel=say("plot_loss", lang),
                    title=say("plot_loss", lang))
        ax_loss.legend()

        at = history["epoch_iter"]
        ax_acc.plot(at, history["train_acc"], marker="o", label=say("plot_train", lang))
        ax_acc.plot(at, history["test_acc"], marker="s", linestyle="--",
                    label=say("plot_test", lang))
        ax_acc.set(xlabel=say("plot_iteration", lang), ylabel=say("plot_accuracy", lang),
                   title=say("plot_accuracy", lang), ylim=(0, 1))
        ax_acc.legend(loc="lower right")
        fig.suptitle(title or say("plot_title", lang))
        fig.tight_layout()
    return fig
