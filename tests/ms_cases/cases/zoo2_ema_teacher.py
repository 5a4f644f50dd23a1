"""A mean-teacher training step as MindSpore scripts write it: a custom TrainOneStep Cell that
computes the student's gradients (GradOperation over a ParameterTuple), applies nn.SGD, bumps
a global_step Parameter with ops.AssignAdd, and moves the teacher's weights toward the
student's with ops.assign in a Python loop (an exponential moving average), the consistency
term an ops.L2Loss; three steps: losses, the step counter and both networks' weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


def make_net():
    return nn.SequentialCell(nn.Dense(3, 4, activation='relu'), nn.Dense(4, 2))


class StudentLoss(nn.Cell):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher
        self.l2 = ops.L2Loss()
        self.ce = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')

    def construct(self, x, y):
        s = self.student(x)
        t = ops.stop_gradient(self.teacher(x))
        return self.ce(s, y) + 0.5 * self.l2(ops.softmax(s) - ops.softmax(t))


class MeanTeacherStep(nn.Cell):
    def __init__(self, loss_net, optimizer, decay=0.9):
        super().__init__(auto_prefix=False)
        self.loss_net = loss_net
        self.optimizer = optimizer
        self.weights = ParameterTuple(loss_net.student.trainable_params())
        self.teacher_weights = ParameterTuple(loss_net.teacher.trainable_params())
        self.grad = ops.GradOperation(get_by_list=True)
        self.decay = decay
        self.global_step = Parameter(Tensor(0, ms.int32), name="global_step",
                                     requires_grad=False)
        self.assign_add = ops.AssignAdd()

    def construct(self, x, y):
        loss = self.loss_net(x, y)
        grads = self.grad(self.loss_net, self.weights)(x, y)
        loss = ops.depend(loss, self.optimizer(grads))
        loss = ops.depend(loss, self.assign_add(self.global_step, Tensor(1, ms.int32)))
        for t, s in zip(self.teacher_weights, self.weights):
            ops.assign(t, t * self.decay + s * (1 - self.decay))
        return loss


def run():
    rng = np.random.RandomState(73)
    student, teacher = make_net(), make_net()
    for net in (student, teacher):
        for _, p in net.parameters_and_names():
            p.set_data(Tensor(rng.uniform(-0.7, 0.7, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((6, 3)).astype(np.float32))
    y = Tensor(np.array([0, 1, 1, 0, 1, 0], np.int32))
    opt = nn.SGD(student.trainable_params(), learning_rate=0.2)
    step = MeanTeacherStep(StudentLoss(student, teacher), opt)
    out = {}
    for i in range(3):
        out["loss%d" % i] = step(x, y)
    out["global_step"] = step.global_step
    for name, p in student.parameters_and_names():
        out["student_" + name] = p.asnumpy().copy()
    for name, p in teacher.parameters_and_names():
        out["teacher_" + name] = p.asnumpy().copy()
    return out
