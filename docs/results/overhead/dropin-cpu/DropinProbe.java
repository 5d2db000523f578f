import java.lang.management.*;
import java.util.*;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.dgrab.core.OrderingConfig;
import org.dgrab.dl4j.Granularity;
import org.dgrab.dl4j.iterator.OrderedDataSetIterator;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One configuration per JVM: args N BATCH EPOCHS MODE, MODE = plain | GRANULARITY:ORDER[:obs]. Trains EPOCHS epochs
 * and prints, for epochs 2.., the median and mean epoch seconds, the training thread's and all threads' CPU seconds
 * per epoch (line "csv,..."), then each thread's CPU per epoch.
 */
public class DropinProbe {
  static INDArray CENTRES;
  static DataSet batch(long first, int rows) {
    INDArray y = Nd4j.create(DataType.FLOAT, rows, 10);
    for (int r = 0; r < rows; r++) y.putScalar(r, (int) ((first + r) % 10), 1.0);
    Nd4j.getRandom().setSeed(first);
    return new DataSet(Nd4j.randn(DataType.FLOAT, rows, 784).addi(y.mmul(CENTRES)), y);
  }
  static MultiLayerNetwork mlp() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.01))
      .weightInit(WeightInit.XAVIER).dataType(DataType.FLOAT).list()
      .layer(new DenseLayer.Builder().nIn(784).nOut(128).activation(Activation.RELU).build())
      .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10).activation(Activation.SOFTMAX).build()).build();
    MultiLayerNetwork n = new MultiLayerNetwork(conf); n.init(); return n;
  }
  static Map<String, Long> cpu() {
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    Map<String, Long> m = new TreeMap<>();
    for (ThreadInfo ti : tb.getThreadInfo(tb.getAllThreadIds())) {
      if (ti == null) continue;
      long c = tb.getThreadCpuTime(ti.getThreadId());
      String name = ti.getThreadName().replaceAll("[0-9]+", "#");
      m.merge(name, c, Long::sum);
    }
    return m;
  }
  public static void main(String[] a) throws Exception {
    java.util.Random rng = new java.util.Random(1);
    float[][] c = new float[10][784];
    for (float[] row : c) for (int j = 0; j < 784; j++) row[j] = (float) (rng.nextGaussian() * 0.5);
    CENTRES = Nd4j.createFromArray(c);
    int n = Integer.parseInt(a[0]), b = Integer.parseInt(a[1]), epochs = Integer.parseInt(a[2]);
    List<DataSet> data = new ArrayList<>();
    for (long f = 0; f < n; f += b) data.add(batch(f, (int) Math.min(b, n - f)));
    String mode = a[3];
    MultiLayerNetwork net = mlp();
    DataSetIterator it;
    if (mode.equals("plain")) it = new AsyncDataSetIterator(new ExistingDataSetIterator(data));
    else {
      String[] p = mode.split(":");
      it = OrderedDataSetIterator.builder().setSource(new ExistingDataSetIterator(data)).setModel(net)
        .optGranularity(Granularity.valueOf(p[0])).optOrdering(OrderingConfig.of(p[1], 0)).optObserverThread(p.length > 2 && p[2].equals("obs")).build();
    }
    Map<String, Long> c0 = null; long t0 = 0; double[] ep = new double[epochs];
    for (int e = 0; e < epochs; e++) {
      if (e == 1) { c0 = cpu(); t0 = System.nanoTime(); }
      long s = System.nanoTime();
      net.fit(it); it.reset();
      ep[e] = (System.nanoTime() - s) / 1e9;
    }
    long wall = System.nanoTime() - t0;
    Map<String, Long> c1 = cpu();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s wall/epoch %.3f epochs %s%n", mode, wall / 1e9 / (epochs - 1), Arrays.toString(ep)));
    long tot = 0;
    for (var en : c1.entrySet()) {
      long d = en.getValue() - c0.getOrDefault(en.getKey(), 0L); tot += d;
      if (d > 5_000_000L * (epochs - 1)) sb.append(String.format(Locale.ROOT, "  %-40s %.3f s/epoch%n", en.getKey(), d / 1e9 / (epochs - 1)));
    }
    sb.append(String.format(Locale.ROOT, "  %-40s %.3f s/epoch%n", "ALL THREADS", tot / 1e9 / (epochs - 1)));
    double[] sorted = Arrays.copyOfRange(ep, 1, epochs); Arrays.sort(sorted);
    long mainCpu = c1.get("main") - c0.get("main");
    System.out.printf(Locale.ROOT, "csv,%s,%.4f,%.4f,%.4f,%.4f%n", mode, sorted[sorted.length / 2], wall / 1e9 / (epochs - 1), mainCpu / 1e9 / (epochs - 1), tot / 1e9 / (epochs - 1));
    System.out.print(sb);
  }
}
