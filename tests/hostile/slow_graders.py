"""Graders that run past the limits of the child that measures a handed-in model, imported there
by name (tests.hostile.slow_graders:spin): how long a real model takes depends on the CPU, these
do not."""

import time


def spin(path):
    while True:
        pass


def sleep(path):
    time.sleep(3600)
