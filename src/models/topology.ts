import type { Layer } from '../layers/layer';
import { ValueError } from '../util/errors';
import type { Node, SymbolicTensor } from '../layers/symbolic';

/** The part of the layer graph between a model's inputs and outputs, ordered as Keras orders it. */
export interface Graph {
  /** Nodes in execution order (every node after the nodes that feed it). */
  nodes: Node[];
  nodeSet: Set<Node>;
  /** Distinct layers, deepest first, ties by first traversal from the outputs (Keras's `operations`). */
  layers: Layer[];
  /** Depth of each node: 0 for output nodes, growing towards the inputs. */
  nodeDepth: Map<Node, number>;
}

/**
 * Walks back from the outputs to the inputs (Keras's map_graph): a depth-first search gives a
 * topological order of the nodes; depths order the layers; an InputLayer reached that is not
 * one of `inputs` means the graph is disconnected.
 */
export function mapGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): Graph {
  const inputSet = new Set(inputs);
  const finished = new Set<Node>();
  const nodes: Node[] = [];
  const layerIndex = new Map<Layer, number>();

  const visit = (t: SymbolicTensor, consumer: Layer | null): void => {
    const node = t.node;
    if (finished.has(node)) return;
    if (node.isInput && !inputSet.has(t)) {
      const at = consumer ? `at layer '${consumer.name}' (${consumer.className})` : 'given as an output';
      throw new ValueError(
        `Graph disconnected: cannot find parent for tensor ${t.name} ${shapeText(t)} ${at}: it comes from input layer ` +
          `'${t.sourceLayer.name}', which is not among the model's inputs (${inputs.map((x) => `'${x.sourceLayer.name}'`).join(', ')}). ` +
          'Pass every tt.input() the outputs depend on in `inputs`.',
      );
    }
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    if (!node.isInput && !inputSet.has(t)) for (const x of node.inputs) visit(x, node.layer);
    finished.add(node);
    nodes.push(node);
  };
  for (const o of outputs) visit(o, null);

  // Depths, from the outputs back (a layer called at several depths takes the deepest).
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!nodeDepth.has(node)) nodeDepth.set(node, 0);
    const depth = Math.max(nodeDepth.get(node)!, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.parentNodes) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  // Inputs that no output depends on still belong to the model (Keras keeps them at depth 0).
  for (const t of inputs) {
    if (layerDepth.has(t.sourceLayer)) continue;
    layerDepth.set(t.sourceLayer, 0);
    layerIndex.set(t.sourceLayer, -1);
    nodeDepth.set(t.node, 0);
    nodes.unshift(t.node);
  }

  const layers = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!,
  );
  const seen = new Map<string, number>();
  for (const l of layers) seen.set(l.name, (seen.get(l.name) ?? 0) + 1);
  for (const [name, n] of seen) {
    if (n > 1) throw new ValueError(`The name "${name}" is used ${n} times in the model. All layer names should be unique.`);
  }
  return { nodes, nodeSet: new Set(nodes), layers, nodeDepth };
}

function shapeText(t: SymbolicTensor): string {
  return `(shape (${t.shape.map((d) => (d === null ? 'None' : d)).join(', ')}))`;
}

/**
 * Keras prints a model without "Connected to" when it is a plain chain: one node per depth, each
 * with one input, and no layer called twice.
 */
export function isSequentialLike(g: Graph): boolean {
  const perDepth = new Map<number, number>();
  for (const [node, d] of g.nodeDepth) {
    perDepth.set(d, (perDepth.get(d) ?? 0) + 1);
    if (node.inputs.length > 1) return false;
  }
  if ([...perDepth.values()].some((n) => n > 1)) return false;
  return g.layers.every((l) => l.inboundNodes.filter((n) => g.nodeSet.has(n)).length <= 1);
}
