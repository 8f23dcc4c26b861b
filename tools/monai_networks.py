"""MONAI's ViT and UNETR, written from MONAI's published code (Apache-2.0) for attnscope's golden
files, since MONAI itself is not installable on the build machines. Module and parameter names are
MONAI's, so that `state_dict()` gives the names a MONAI bundle's models/model.pt holds.

Read from Project-MONAI/MONAI (commits named in /docs/monai.md of this repository):
  monai/networks/blocks/patchembedding.py   PatchEmbeddingBlock (conv / perceptron, learnable / sincos)
  monai/networks/blocks/pos_embed_utils.py  build_sincos_position_embedding
  monai/networks/blocks/selfattention.py    SABlock (combined qkv, scale after q.k)
  monai/networks/blocks/mlp.py              MLPBlock (exact GELU)
  monai/networks/blocks/transformerblock.py TransformerBlock (pre-LN; recent releases also create the
                                            unused norm_cross_attn / cross_attn, optional here)
  monai/networks/nets/vit.py                ViT
  monai/networks/blocks/unetr_block.py      UnetrBasicBlock, UnetrPrUpBlock, UnetrUpBlock
  monai/networks/blocks/dynunet_block.py    UnetResBlock, UnetBasicBlock, UnetOutBlock, get_conv_layer
  monai/networks/nets/unetr.py              UNETR
Dropout is left out (inference). Only the 3D networks. Every forward also returns the attention
weights of every block, as MONAI's save_attn keeps them."""
import math

import torch
from torch import nn

import attributions
import head_edits


def sincos_table(grid, dim, temperature=10000.0):
    """pos_embed_utils.build_sincos_position_embedding for 3D: [1, g0 g1 g2, dim]."""
    h, w, d = grid
    gh, gw, gd = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32),
                                torch.arange(d, dtype=torch.float32), indexing="ij")
    part = dim // 6
    omega = torch.arange(part, dtype=torch.float32) / part
    omega = 1.0 / (temperature ** omega)
    oh = torch.einsum("m,d->md", gh.flatten(), omega)
    ow = torch.einsum("m,d->md", gw.flatten(), omega)
    od = torch.einsum("m,d->md", gd.flatten(), omega)
    table = torch.cat([ow.sin(), ow.cos(), oh.sin(), oh.cos(), od.sin(), od.cos()], dim=1)[None]
    param = nn.Parameter(table)
    param.requires_grad = False
    return param


class PerceptronRearrange(nn.Module):
    """einops' "b c (h p1) (w p2) (d p3) -> b (h w d) (p1 p2 p3 c)", in plain PyTorch."""

    def __init__(self, patch):
        super().__init__()
        self.patch = patch

    def forward(self, x):
        b, c, n0, n1, n2 = x.shape
        p0, p1, p2 = self.patch
        x = x.view(b, c, n0 // p0, p0, n1 // p1, p1, n2 // p2, p2)
        x = x.permute(0, 2, 4, 6, 3, 5, 7, 1)
        return x.reshape(b, (n0 // p0) * (n1 // p1) * (n2 // p2), p0 * p1 * p2 * c)


class PatchEmbeddingBlock(nn.Module):
    def __init__(self, in_channels, img_size, patch_size, hidden_size, proj_type, pos_embed_type):
        super().__init__()
        grid = [i // p for i, p in zip(img_size, patch_size)]
        n = grid[0] * grid[1] * grid[2]
        if proj_type == "conv":
            self.patch_embeddings = nn.Conv3d(in_channels, hidden_size, kernel_size=patch_size, stride=patch_size)
        else:
            dim = in_channels * patch_size[0] * patch_size[1] * patch_size[2]
            self.patch_embeddings = nn.Sequential(PerceptronRearrange(patch_size), nn.Linear(dim, hidden_size))
        self.proj_type = proj_type
        self.position_embeddings = nn.Parameter(torch.zeros(1, n, hidden_size))
        if pos_embed_type == "learnable":
            nn.init.trunc_normal_(self.position_embeddings, std=0.02)
        elif pos_embed_type == "sincos":
            self.position_embeddings = sincos_table(grid, hidden_size)

    def forward(self, x):
        x = self.patch_embeddings(x)
        if self.proj_type == "conv":
            x = x.flatten(2).transpose(-1, -2)
        return x + self.position_embeddings


class SABlock(nn.Module):
    def __init__(self, hidden_size, num_heads, qkv_bias):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, hidden_size * 3, bias=qkv_bias)
        self.out_proj = nn.Linear(hidden_size, hidden_size)
        self.scale = self.head_dim ** -0.5

    def forward(self, x):
        b, t, _ = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)  # "b h (qkv l d) -> qkv b l h d"
        q, k, v = qkv[0], qkv[1], qkv[2]
        if head_edits.active():  # one input (b = 1)
            att, out = head_edits.attend(self.edit_layer, torch.einsum("blxd,blyd->blxy", q, k)[0] * self.scale, v[0])
            return self.out_proj(out[None]), att[None]
        att = (torch.einsum("blxd,blyd->blxy", q, k) * self.scale).softmax(dim=-1)
        out = torch.einsum("bhxy,bhyd->bhxd", att, v)
        out = out.permute(0, 2, 1, 3).reshape(b, t, -1)  # "b h l d -> b l (h d)"
        return self.out_proj(out), att


class MLPBlock(nn.Module):
    def __init__(self, hidden_size, mlp_dim):
        super().__init__()
        self.linear1 = nn.Linear(hidden_size, mlp_dim)
        self.linear2 = nn.Linear(mlp_dim, hidden_size)
        self.fn = nn.GELU()

    def forward(self, x):
        return self.linear2(self.fn(self.linear1(x)))


class CrossAttentionBlock(nn.Module):
    """Only its parameters: MONAI >= 1.4 creates it in every block, used or not."""

    def __init__(self, hidden_size):
        super().__init__()
        self.to_q = nn.Linear(hidden_size, hidden_size, bias=False)
        self.to_k = nn.Linear(hidden_size, hidden_size, bias=False)
        self.to_v = nn.Linear(hidden_size, hidden_size, bias=False)
        self.out_proj = nn.Linear(hidden_size, hidden_size)


class TransformerBlock(nn.Module):
    def __init__(self, hidden_size, mlp_dim, num_heads, qkv_bias, unused_cross_attention=False):
        super().__init__()
        self.mlp = MLPBlock(hidden_size, mlp_dim)
        self.norm1 = nn.LayerNorm(hidden_size)
        self.attn = SABlock(hidden_size, num_heads, qkv_bias)
        self.norm2 = nn.LayerNorm(hidden_size)
        if unused_cross_attention:
            self.norm_cross_attn = nn.LayerNorm(hidden_size)
            self.cross_attn = CrossAttentionBlock(hidden_size)

    def forward(self, x):
        h = self.norm1(x)
        a, att = self.attn(h)
        x_in, x = x, x + a
        if attributions.tracing():
            self.record(x_in[0], self.attn.qkv(h)[0], att[0], x[0])
        return x + self.mlp(self.norm2(x)), att

    def record(self, x, qkv, att, after_attention):
        """Hands tools/attributions.py this pre-LN block (one input): its raw input x [T, d], the values
        [T, d] (the last third of qkv(norm1(x)), bias if any included), the weights [H, T, T], out_proj
        and x + attention output (norm1 before the attention, norm2 before the MLP)."""
        d = x.shape[-1]
        attributions.record(norm_first=True, x=x, values=qkv[:, 2 * d:], weights=att, out_weight=self.attn.out_proj.weight,
                            out_bias=self.attn.out_proj.bias, after_attention=after_attention, after_norm1=None,
                            before_norm2=None, norm1=self.norm1, norm2=self.norm2, padding=None)


class ViT(nn.Module):
    def __init__(self, in_channels, img_size, patch_size, hidden_size=768, mlp_dim=3072, num_layers=12, num_heads=12,
                 proj_type="conv", pos_embed_type="learnable", classification=False, num_classes=2,
                 post_activation="Tanh", qkv_bias=False, unused_cross_attention=False):
        super().__init__()
        self.patch_embedding = PatchEmbeddingBlock(in_channels, img_size, patch_size, hidden_size, proj_type, pos_embed_type)
        self.blocks = nn.ModuleList([TransformerBlock(hidden_size, mlp_dim, num_heads, qkv_bias, unused_cross_attention)
                                     for _ in range(num_layers)])
        head_edits.number([blk.attn for blk in self.blocks])
        self.norm = nn.LayerNorm(hidden_size)
        self.classification = classification
        if classification:
            self.cls_token = nn.Parameter(torch.zeros(1, 1, hidden_size))
            if post_activation == "Tanh":
                self.classification_head = nn.Sequential(nn.Linear(hidden_size, num_classes), nn.Tanh())
            else:
                self.classification_head = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        """(logits or normed tokens, hidden states after each block, attention of each block)."""
        x = self.patch_embedding(x)
        if self.classification:
            x = torch.cat((self.cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        hidden, attention = [], []
        for blk in self.blocks:
            x, att = blk(x)
            hidden.append(x)
            attention.append(att)
        x = self.norm(x)
        if self.classification:
            x = self.classification_head(x[:, 0])
        return x, hidden, attention


class Convolution(nn.Sequential):
    """get_conv_layer's Convolution: a module named "conv" (act, norm and dropout are None here)."""

    def __init__(self, in_channels, out_channels, kernel_size, stride, bias=False, transposed=False):
        super().__init__()
        padding = int((kernel_size - stride + 1) / 2)
        if transposed:
            out_pad = 2 * padding + stride - kernel_size
            self.add_module("conv", nn.ConvTranspose3d(in_channels, out_channels, kernel_size, stride, padding, out_pad, bias=bias))
        else:
            self.add_module("conv", nn.Conv3d(in_channels, out_channels, kernel_size, stride, padding, bias=bias))


def instance_norm(channels, affine):
    return nn.InstanceNorm3d(channels, affine=affine)


class UnetBasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, affine=False):
        super().__init__()
        self.conv1 = Convolution(in_channels, out_channels, kernel_size, 1)
        self.conv2 = Convolution(out_channels, out_channels, kernel_size, 1)
        self.lrelu = nn.LeakyReLU(negative_slope=0.01, inplace=True)
        self.norm1 = instance_norm(out_channels, affine)
        self.norm2 = instance_norm(out_channels, affine)

    def forward(self, inp):
        out = self.lrelu(self.norm1(self.conv1(inp)))
        return self.lrelu(self.norm2(self.conv2(out)))


class UnetResBlock(UnetBasicBlock):
    """UnetBasicBlock's layers, plus the residual (through a 1x1 convolution when the channels change)."""

    def __init__(self, in_channels, out_channels, kernel_size, affine=False):
        super().__init__(in_channels, out_channels, kernel_size, affine)
        self.downsample = in_channels != out_channels
        if self.downsample:
            self.conv3 = Convolution(in_channels, out_channels, 1, 1)
            self.norm3 = instance_norm(out_channels, affine)

    def forward(self, inp):
        residual = inp
        out = self.lrelu(self.norm1(self.conv1(inp)))
        out = self.norm2(self.conv2(out))
        if self.downsample:
            residual = self.norm3(self.conv3(residual))
        out += residual
        return self.lrelu(out)


def conv_block(in_channels, out_channels, res_block, affine):
    return (UnetResBlock if res_block else UnetBasicBlock)(in_channels, out_channels, 3, affine)


class UnetrBasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, res_block, affine):
        super().__init__()
        self.layer = conv_block(in_channels, out_channels, res_block, affine)

    def forward(self, x):
        return self.layer(x)


class UnetrPrUpBlock(nn.Module):
    def __init__(self, in_channels, out_channels, num_layer, use_conv_block, res_block, affine):
        super().__init__()
        self.transp_conv_init = Convolution(in_channels, out_channels, 2, 2, transposed=True)
        if use_conv_block:
            self.blocks = nn.ModuleList([nn.Sequential(Convolution(out_channels, out_channels, 2, 2, transposed=True),
                                                       conv_block(out_channels, out_channels, res_block, affine))
                                         for _ in range(num_layer)])
        else:
            self.blocks = nn.ModuleList([Convolution(out_channels, out_channels, 2, 2, transposed=True) for _ in range(num_layer)])

    def forward(self, x):
        x = self.transp_conv_init(x)
        for blk in self.blocks:
            x = blk(x)
        return x


class UnetrUpBlock(nn.Module):
    def __init__(self, in_channels, out_channels, res_block, affine):
        super().__init__()
        self.transp_conv = Convolution(in_channels, out_channels, 2, 2, transposed=True)
        self.conv_block = conv_block(out_channels + out_channels, out_channels, res_block, affine)

    def forward(self, inp, skip):
        return self.conv_block(torch.cat((self.transp_conv(inp), skip), dim=1))


class UnetOutBlock(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = Convolution(in_channels, out_channels, 1, 1, bias=True)

    def forward(self, x):
        return self.conv(x)


class UNETR(nn.Module):
    def __init__(self, in_channels, out_channels, img_size, feature_size=16, hidden_size=768, mlp_dim=3072, num_heads=12,
                 proj_type="conv", conv_block=True, res_block=True, qkv_bias=False, affine_norm=False,
                 unused_cross_attention=False):
        super().__init__()
        self.patch = (16, 16, 16)
        self.feat_size = [s // 16 for s in img_size]
        self.hidden_size = hidden_size
        self.vit = ViT(in_channels, img_size, self.patch, hidden_size, mlp_dim, 12, num_heads, proj_type,
                       qkv_bias=qkv_bias, unused_cross_attention=unused_cross_attention)
        f, a = feature_size, affine_norm
        self.encoder1 = UnetrBasicBlock(in_channels, f, res_block, a)
        self.encoder2 = UnetrPrUpBlock(hidden_size, f * 2, 2, conv_block, res_block, a)
        self.encoder3 = UnetrPrUpBlock(hidden_size, f * 4, 1, conv_block, res_block, a)
        self.encoder4 = UnetrPrUpBlock(hidden_size, f * 8, 0, conv_block, res_block, a)
        self.decoder5 = UnetrUpBlock(hidden_size, f * 8, res_block, a)
        self.decoder4 = UnetrUpBlock(f * 8, f * 4, res_block, a)
        self.decoder3 = UnetrUpBlock(f * 4, f * 2, res_block, a)
        self.decoder2 = UnetrUpBlock(f * 2, f, res_block, a)
        self.out = UnetOutBlock(f, out_channels)

    def proj_feat(self, x):
        x = x.view([x.size(0)] + self.feat_size + [self.hidden_size])
        return x.permute(0, 4, 1, 2, 3).contiguous()

    def forward(self, x_in):
        """(segmentation logits, attention of each block)."""
        x, hidden, attention = self.vit(x_in)
        enc1 = self.encoder1(x_in)
        enc2 = self.encoder2(self.proj_feat(hidden[3]))
        enc3 = self.encoder3(self.proj_feat(hidden[6]))
        enc4 = self.encoder4(self.proj_feat(hidden[9]))
        dec3 = self.decoder5(self.proj_feat(x), enc4)
        dec2 = self.decoder4(dec3, enc3)
        dec1 = self.decoder3(dec2, enc2)
        return self.out(self.decoder2(dec1, enc1)), attention
