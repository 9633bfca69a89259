"""Training curves: loss per iteration and accuracy per epoch."""

import numpy as np


def plot_history(history, title="TwoLayerNet on MNIST"):
    """Draw ``history`` from :func:`solutions.training.train` and return the figure.

    Left: the mini-batch loss per iteration, with a moving average (window 100) because a
    single batch's loss is noisy. Right: train and test accuracy after each epoch (plotted
    at its iteration); two close curves mean the network is not overfitting.
    """
    import matplotlib.pyplot as plt

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
    loss = np.asarray(history["loss"], dtype=float)
    ax_loss.plot(loss, color="tab:blue", alpha=0.25, linewidth=0.8, label="batch loss")
    if loss.size >= 100:
        smooth = np.convolve(loss, np.ones(100) / 100, mode="valid")
        ax_loss.plot(np.arange(99, loss.size), smooth, color="tab:blue", label="moving average")
    ax_loss.set(xlabel="iteration", ylabel="loss", title="loss")
    ax_loss.legend()

    at = history["epoch_iter"]
    ax_acc.plot(at, history["train_acc"], marker="o", label="train")
    ax_acc.plot(at, history["test_acc"], marker="s", linestyle="--", label="test")
    ax_acc.set(xlabel="iteration", ylabel="accuracy", title="accuracy", ylim=(0, 1))
    ax_acc.legend(loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
